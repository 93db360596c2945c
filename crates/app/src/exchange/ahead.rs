//! Reading ahead of the writer: while the store applies one chunk of a bundle's records,
//! another thread decrypts, parses and checks the next (a third of an import's work, which
//! then no longer waits on SQLite, nor SQLite on it), and frees the records applied.

use std::sync::mpsc;

/// The records of one chunk: what the writer is handed at a time.
pub(super) type Chunk<T> = Vec<T>;

/// Chunks read ahead and waiting for the writer, at most. Reading and writing are not
/// equally slow on every table (a declaration is slow to check, quick to write; a person the
/// reverse): room for a few lets the reader run ahead where it is quicker.
const AHEAD: usize = 8;

/// Runs `apply` over the items of `next_chunk`, each chunk produced on another thread while
/// the ones before are applied; an empty chunk ends the items. Besides those given back, at
/// most [`AHEAD`] + 2 chunks are held at once (waiting, being applied, being read). Should
/// `apply` stop early, the reading stops at its next chunk.
pub(super) fn apply_ahead<T: Send, R>(
    mut next_chunk: impl FnMut() -> Chunk<T> + Send,
    apply: impl FnOnce(Ahead<T>) -> R,
) -> R {
    std::thread::scope(|scope| {
        let (hand_over, chunks) = mpsc::sync_channel::<Chunk<T>>(AHEAD);
        let (give_back, given_back) = mpsc::channel::<Chunk<T>>();
        scope.spawn(move || {
            loop {
                // Freed here, where they were allocated.
                while given_back.try_recv().is_ok() {}
                let chunk = next_chunk();
                if chunk.is_empty() || hand_over.send(chunk).is_err() {
                    break;
                }
            }
        });
        // `apply` owns the receiving end: once it returns, the reader's next hand-over fails
        // and the thread ends, so the scope never waits on a reader nobody listens to.
        apply(Ahead {
            chunks,
            current: Vec::new().into_iter(),
            give_back,
            spent: Vec::new(),
        })
    })
}

/// The items as the writer sees them, one at a time; each may be given back once used
/// ([`Ahead::give_back`]), to be freed by the reading thread.
pub(super) struct Ahead<T> {
    chunks: mpsc::Receiver<Chunk<T>>,
    current: std::vec::IntoIter<T>,
    give_back: mpsc::Sender<Chunk<T>>,
    /// What was given back of the chunk being applied.
    spent: Chunk<T>,
}

impl<T> Ahead<T> {
    pub(super) fn give_back(&mut self, item: T) {
        self.spent.push(item);
    }
}

impl<T> Iterator for Ahead<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            if !self.spent.is_empty() {
                // Should the reader have ended, what is left is freed here.
                let _ = self.give_back.send(std::mem::take(&mut self.spent));
            }
            self.current = self.chunks.recv().ok()?.into_iter();
            // Sized once: grown item by item, it was moved in memory a tenth as often as
            // there were items, which cost the writer a twentieth of an import.
            self.spent = Vec::with_capacity(self.current.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_whole_and_in_order() {
        let mut next = 0..10;
        let got: Vec<u32> = apply_ahead(
            move || {
                next.next()
                    .map(|i| vec![i * 2, i * 2 + 1])
                    .unwrap_or_default()
            },
            |items| items.collect(),
        );
        assert_eq!(got, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_writer_that_stops_early_stops_the_reading() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let read = AtomicUsize::new(0);
        let first: Vec<usize> = apply_ahead(
            || vec![read.fetch_add(1, Ordering::SeqCst)],
            |items| items.take(3).collect(),
        );
        assert_eq!(first, vec![0, 1, 2]);
        // The reader never ends by itself: it stopped because nobody listens any more, after
        // at most the chunks waiting, the one it was handing over and the one it was reading.
        assert!(read.load(Ordering::SeqCst) <= 3 + AHEAD + 2, "{read:?}");
    }

    #[test]
    fn items_given_back_are_freed_by_the_reading_thread() {
        use std::sync::Mutex;
        /// Says which thread dropped it.
        struct Tracked<'a>(&'a Mutex<Vec<std::thread::ThreadId>>);
        impl Drop for Tracked<'_> {
            fn drop(&mut self) {
                self.0.lock().unwrap().push(std::thread::current().id());
            }
        }
        let dropped = Mutex::new(Vec::new());
        let chunks = 1000;
        let mut left = chunks;
        apply_ahead(
            || {
                left -= 1;
                match left {
                    0.. => vec![Tracked(&dropped), Tracked(&dropped)],
                    _ => Vec::new(),
                }
            },
            |mut items| {
                while let Some(item) = items.next() {
                    items.give_back(item);
                }
            },
        );
        let dropped = dropped.into_inner().unwrap();
        assert_eq!(dropped.len(), 2 * chunks as usize);
        let here = std::thread::current().id();
        // Only what was given back after the reader ended (it runs AHEAD + 1 chunks ahead at
        // most) is freed here.
        let freed_here = dropped.iter().filter(|t| **t == here).count();
        assert!(freed_here <= 2 * (AHEAD + 2), "{freed_here}");
    }
}
