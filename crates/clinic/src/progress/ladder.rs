//! Exercises that have moved up their ladder: an exercise in the programme now that is a
//! harder variant (one or more steps up the library's `harder` links, or down the `easier`
//! links read backwards) of one the patient was prescribed before it.
//!
//! Both exercises need not be in the library any more than a name lookup needs: a step whose
//! exercise has left the library simply breaks the ladder there. A clinic's own exercises may
//! link in a circle, so every walk remembers where it has been.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::exercise::Exercise;

/// One exercise the patient moved up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LadderMove {
    /// The exercise prescribed before (its id).
    pub from: String,
    /// The harder exercise in the programme now (its id).
    pub to: String,
    /// The version (an index into the list given, oldest first) from which `to` has been in
    /// every version up to the current one.
    pub since: usize,
}

/// The moves up in a programme's history. `versions` holds each version's exercise ids, oldest
/// first; the last is the programme now. `find` looks an exercise up in the clinic's library.
///
/// An exercise in the programme now counts when, before the run of versions that has held it
/// without a break, the patient was prescribed an easier variant of it; the most recently
/// prescribed easier variant is the one named. Exercises are listed in the current programme's
/// order.
pub fn moves<'a>(
    versions: &[Vec<String>],
    find: &dyn Fn(&str) -> Option<&'a Exercise>,
) -> Vec<LadderMove> {
    let Some(current) = versions.last() else { return Vec::new() };
    let mut out = Vec::new();
    for to in current {
        // The start of the unbroken run of versions holding `to`.
        let since = versions.iter().rposition(|v| !v.contains(to)).map_or(0, |k| k + 1);
        let below = reachable(to, |e| &e.easier, find);
        // A clinic's own exercise may name a built-in one as harder without the built-in one
        // naming it back as easier, so the links up count as much as the links down.
        let leads_up = |from: &str| reachable(from, |e| &e.harder, find).contains(to);
        let from = versions[..since]
            .iter()
            .rev()
            .find_map(|v| v.iter().rev().find(|id| below.contains(*id) || leads_up(id)));
        if let Some(from) = from {
            out.push(LadderMove { from: from.clone(), to: to.clone(), since });
        }
    }
    out
}

/// Every exercise reached from `start` along `next` (one or more steps), never `start` itself.
fn reachable<'a>(
    start: &str,
    next: impl Fn(&'a Exercise) -> &'a Vec<String>,
    find: &dyn Fn(&str) -> Option<&'a Exercise>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start.to_owned()];
    while let Some(id) = todo.pop() {
        for step in find(&id).map_or(&[][..], |e| next(e).as_slice()) {
            if step != start && seen.insert(step.clone()) {
                todo.push(step.clone());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::library;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn moves_of(versions: &[&[&str]]) -> Vec<(String, String, usize)> {
        let versions: Vec<Vec<String>> = versions.iter().map(|v| ids(v)).collect();
        moves(&versions, &library::find).into_iter().map(|m| (m.from, m.to, m.since)).collect()
    }

    #[test]
    fn a_harder_variant_replacing_an_easier_one_is_a_move() {
        let got = moves_of(&[
            &["bridge", "walk", "bird-dog"],
            &["single-leg-bridge", "walk", "bird-dog"],
            &["single-leg-bridge", "brisk-walk", "bird-dog"],
        ]);
        assert_eq!(
            got,
            vec![
                ("bridge".into(), "single-leg-bridge".into(), 1),
                ("walk".into(), "brisk-walk".into(), 2)
            ]
        );
    }

    #[test]
    fn several_steps_up_count_and_name_the_latest_easier_one() {
        let got = moves_of(&[&["tummy-tightening"], &["heel-slide"], &["dead-bug"]]);
        assert_eq!(got, vec![("heel-slide".into(), "dead-bug".into(), 2)]);
        let got = moves_of(&[&["tummy-tightening"], &["dead-bug"]]);
        assert_eq!(got, vec![("tummy-tightening".into(), "dead-bug".into(), 1)]);
    }

    #[test]
    fn no_move_for_the_first_programme_a_step_down_or_an_unrelated_exercise() {
        assert!(moves_of(&[&["single-leg-bridge", "brisk-walk"]]).is_empty());
        assert!(moves_of(&[&["single-leg-bridge"], &["bridge"]]).is_empty(), "a step down");
        assert!(moves_of(&[&["bridge"], &["bridge", "side-plank"]]).is_empty());
        assert!(moves_of(&[]).is_empty());
    }

    #[test]
    fn an_exercise_held_from_before_the_easier_one_is_not_a_move() {
        // Both prescribed together from the start: nothing moved up.
        assert!(moves_of(&[&["bridge", "single-leg-bridge"], &["single-leg-bridge"]]).is_empty());
        // Dropped, then back after the easier one: the run that counts starts at its return.
        let got = moves_of(&[&["single-leg-bridge"], &["bridge"], &["single-leg-bridge"]]);
        assert_eq!(got, vec![("bridge".into(), "single-leg-bridge".into(), 2)]);
    }

    #[test]
    fn a_circular_ladder_ends() {
        let mut a = library::find("bridge").unwrap().clone();
        let mut b = library::find("single-leg-bridge").unwrap().clone();
        a.id = "clinic-a".into();
        b.id = "clinic-b".into();
        a.easier = ids(&["clinic-b"]);
        b.easier = ids(&["clinic-a"]);
        let find = |id: &str| [&a, &b].into_iter().find(|e| e.id == id);
        let versions = vec![ids(&["clinic-a"]), ids(&["clinic-b"])];
        assert_eq!(moves(&versions, &find).len(), 1);
    }

    #[test]
    fn a_harder_link_alone_is_enough() {
        // The clinic's own exercise is named harder by nothing it names as easier.
        let mut own = library::find("single-leg-bridge").unwrap().clone();
        own.id = "clinic-bridge-march".into();
        own.easier.clear();
        let mut bridge = library::find("bridge").unwrap().clone();
        bridge.harder = ids(&["clinic-bridge-march"]);
        let find = |id: &str| [&own, &bridge].into_iter().find(|e| e.id == id);
        let versions = vec![ids(&["bridge"]), ids(&["clinic-bridge-march"])];
        assert_eq!(moves(&versions, &find)[0].from, "bridge");
    }
}
