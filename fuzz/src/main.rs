//! One AFL++ harness for every target of `sportello_app::fuzzing`, chosen by name:
//! `cargo afl fuzz -i fuzz/corpus/bundle -o OUT target/release/sportello-fuzz bundle`
//! (what `scripts/fuzz.sh bundle` runs).

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(target) = sportello_app::fuzzing::target(&name) else {
        let names: Vec<&str> = sportello_app::fuzzing::TARGETS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        eprintln!(
            "uso: sportello-fuzz TARGET, con TARGET tra: {}",
            names.join(", ")
        );
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| target(data));
}
