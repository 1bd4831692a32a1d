//! Effective grants: a key counts only when it is in the profile AND its parent is granted
//! (recursively).

use std::collections::BTreeSet;

use crate::access::catalog::Perm;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants(BTreeSet<Perm>);

impl Grants {
    /// The effective grants of a profile holding `stored`.
    pub fn effective(stored: &[Perm]) -> Grants {
        let set: BTreeSet<Perm> = stored.iter().copied().collect();
        let mut out = BTreeSet::new();
        for &p in &set {
            let mut ok = true;
            let mut cur = p.parent();
            while let Some(parent) = cur {
                if !set.contains(&parent) {
                    ok = false;
                    break;
                }
                cur = parent.parent();
            }
            if ok {
                out.insert(p);
            }
        }
        Grants(out)
    }

    pub fn none() -> Grants {
        Grants(BTreeSet::new())
    }

    pub fn all() -> Grants {
        Grants(Perm::ALL.iter().copied().collect())
    }

    pub fn has(&self, p: Perm) -> bool {
        self.0.contains(&p)
    }

    pub fn iter(&self) -> impl Iterator<Item = Perm> + '_ {
        self.0.iter().copied()
    }

    pub fn keys(&self) -> Vec<&'static str> {
        Perm::ALL.iter().filter(|p| self.has(**p)).map(|p| p.key()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_need_their_parents() {
        let g = Grants::effective(&[
            Perm::OutgoingCdrExports,
            Perm::OutgoingStatisticsAcdValue,
            Perm::OutgoingStatisticsAcd,
        ]);
        assert!(!g.has(Perm::OutgoingCdrExports), "exports without cdrs");
        assert!(!g.has(Perm::OutgoingStatisticsAcd), "metric without statistics");
        assert!(!g.has(Perm::OutgoingStatisticsAcdValue), "value without metric chain");
        let g = Grants::effective(&[
            Perm::OutgoingStatistics,
            Perm::OutgoingStatisticsAcd,
            Perm::OutgoingStatisticsAcdValue,
        ]);
        assert!(g.has(Perm::OutgoingStatisticsAcdValue));
    }
}
