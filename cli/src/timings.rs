//! `--timings`: the wall time of each stage of a run and the process's
//! peak memory after it, printed as one JSON object on standard output
//! (read by `bench/run.sh`; BENCHMARKS.md).

use serde::Serialize;
use std::time::Instant;

/// One ended stage.
#[derive(Serialize)]
struct Lap {
    stage: &'static str,
    /// Wall time of the stage alone.
    seconds: f64,
    /// CPU time (user + system, all threads) of the stage alone, from
    /// Linux's `/proc/self/stat` in clock ticks (10 ms); absent elsewhere.
    /// On a shared machine it moves less than the wall time.
    cpu_seconds: Option<f64>,
    /// The process's peak resident memory so far (Linux `VmHWM`), in MiB;
    /// absent where the platform does not say.
    peak_rss_mib: Option<f64>,
}

/// The stopwatch of a run: [`Timings::lap`] at the end of every stage.
pub struct Timings {
    start: Instant,
    last: Instant,
    last_cpu: Option<f64>,
    laps: Vec<Lap>,
}

impl Timings {
    /// Starts the clock.
    pub fn start() -> Timings {
        let now = Instant::now();
        Timings { start: now, last: now, last_cpu: cpu_seconds(), laps: Vec::new() }
    }

    /// Ends `stage`: its time is the time since the previous lap.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        let cpu = cpu_seconds();
        let cpu_seconds = cpu.zip(self.last_cpu).map(|(now, before)| now - before);
        self.last_cpu = cpu;
        self.laps.push(Lap { stage, seconds, cpu_seconds, peak_rss_mib: peak_rss_mib() });
    }

    /// The laps and the total as JSON: `{"stages": [{"stage", "seconds",
    /// "peak_rss_mib"}, …], "total_seconds", "peak_rss_mib"}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            stages: &'a [Lap],
            total_seconds: f64,
            peak_rss_mib: Option<f64>,
        }
        let report = Report {
            stages: &self.laps,
            total_seconds: self.last.duration_since(self.start).as_secs_f64(),
            peak_rss_mib: peak_rss_mib(),
        };
        serde_json::to_string(&report).unwrap_or_default()
    }
}

/// This process's CPU time so far (user + system, every thread) in
/// seconds, from fields 14 and 15 of Linux's `/proc/self/stat` (in ticks of
/// 1/100 s, the kernel's USER_HZ); `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; it ends at the last ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The peak resident set size of this process in MiB, from Linux's
/// `/proc/self/status` (`VmHWM:  123456 kB`); `None` elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 =
        line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_add_up_to_the_total() {
        let mut t = Timings::start();
        t.lap("a");
        std::thread::sleep(std::time::Duration::from_millis(5));
        t.lap("b");
        let v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
        let stages = v["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 2);
        assert_eq!(stages[1]["stage"], "b");
        let sum: f64 = stages.iter().map(|s| s["seconds"].as_f64().unwrap()).sum();
        assert!(stages[1]["seconds"].as_f64().unwrap() >= 0.005);
        assert!((sum - v["total_seconds"].as_f64().unwrap()).abs() < 1e-9);
        if cfg!(target_os = "linux") {
            assert!(v["peak_rss_mib"].as_f64().unwrap() > 0.0);
            assert!(stages[0]["cpu_seconds"].as_f64().unwrap() >= 0.0);
        }
    }
}
