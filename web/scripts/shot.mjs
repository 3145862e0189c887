// Ad-hoc: sign in as someone and screenshot pages at phone and laptop sizes.
// node shot.mjs BASE EMAIL PASSWORD OUTPREFIX PATH...
import { chromium } from 'playwright-core';
const [base, email, password, out, ...paths] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const ctx = await b.newContext();
const p = await ctx.newPage();
await p.goto(base + '/login');
await p.fill('#email', email);
await p.fill('#password', password);
await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
for (const path of paths) {
  for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 800, 'laptop']]) {
    await p.setViewportSize({ width: w, height: h });
    const r = await p.goto(base + path);
    const name = `${out}-${path.replace(/\W+/g, '_')}-${tag}.png`;
    await p.screenshot({ path: name, fullPage: true });
    console.log(r.status(), name);
  }
}
await b.close();
