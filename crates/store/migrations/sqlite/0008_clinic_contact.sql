-- How patients reach the clinic (a phone number, an address, an e-mail), printed on their
-- programme and given to them when exercise is stopped; NULL until an admin sets it.
ALTER TABLE clinics ADD COLUMN contact TEXT;
