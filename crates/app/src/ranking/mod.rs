//! The district ranking (graduatoria): computing it, the exclusions across comuni, publishing
//! numbered versions.

mod changes;
mod compute;
mod conflicts;
mod publish;

pub use changes::{PublishChanges, RowChange};
pub use conflicts::{ConflictSide, CrossComuneExclusion};
pub(crate) use publish::{LatestRanking, PublishedOutcomes, RankingCache};
pub use publish::{PublishedRanking, PublishedRow, Stage};

crate::area!(
    /// The district ranking: computed, checked, published.
    Ranking,
    ranking
);
