//! Whether other processes competed for the CPU during a run: the machine's busy CPU time
//! (`/proc/stat`) minus what this benchmark and every process it waited for used (`getrusage`).
//! The load average cannot tell: on the huge repository git's own preload threads, up to 20 per
//! command, push it far above the core count while nothing else runs.

use std::time::Instant;

/// The CPU time of the whole machine and of this process tree, at one instant.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    /// Seconds every CPU spent busy (user, nice, system, irq, softirq, steal) since boot.
    machine_busy: f64,
    /// Seconds this process and every child it waited for spent on a CPU.
    ours: f64,
    at: Instant,
}

/// What processes other than this run's used while it ran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OtherCpu {
    /// CPU seconds.
    pub seconds: f64,
    /// Wall seconds of the run.
    pub over: f64,
}

impl OtherCpu {
    /// Their average use, in cores (0.05: a twentieth of one core).
    pub fn cores(&self) -> f64 {
        if self.over > 0.0 {
            self.seconds / self.over
        } else {
            0.0
        }
    }
}

impl Snapshot {
    /// Now, or `None` where `/proc/stat` or `getrusage` cannot be read.
    pub fn now() -> Option<Snapshot> {
        Some(Snapshot {
            machine_busy: machine_busy(&std::fs::read_to_string("/proc/stat").ok()?)?,
            ours: own_tree_seconds()?,
            at: Instant::now(),
        })
    }

    /// Other processes' CPU from this snapshot until now; never below zero (the two clocks tick
    /// at different granularities).
    pub fn other_until_now(&self) -> Option<OtherCpu> {
        Some(self.other_until(&Snapshot::now()?))
    }

    /// Other processes' CPU between this snapshot and `later`.
    fn other_until(&self, later: &Snapshot) -> OtherCpu {
        let machine = later.machine_busy - self.machine_busy;
        let ours = later.ours - self.ours;
        OtherCpu {
            seconds: (machine - ours).max(0.0),
            over: later.at.duration_since(self.at).as_secs_f64(),
        }
    }
}

/// Busy seconds of all CPUs from `/proc/stat`'s first line (`cpu  user nice system idle iowait
/// irq softirq steal …`, in clock ticks).
fn machine_busy(stat: &str) -> Option<f64> {
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .map(|field| field.parse().ok())
        .collect::<Option<_>>()?;
    let field = |i: usize| ticks.get(i).copied().unwrap_or(0);
    let busy = field(0) + field(1) + field(2) + field(5) + field(6) + field(7);
    Some(busy as f64 / clock_ticks_per_second()?)
}

fn clock_ticks_per_second() -> Option<f64> {
    // SAFETY: sysconf reads a constant of the running system; it has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (ticks > 0).then_some(ticks as f64)
}

/// User and system seconds of this process and of every child it has waited for (and theirs).
fn own_tree_seconds() -> Option<f64> {
    let seconds = |who| {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage writes a whole rusage into the pointer it is given on success.
        if unsafe { libc::getrusage(who, usage.as_mut_ptr()) } != 0 {
            return None;
        }
        // SAFETY: initialised by the successful call above.
        let usage = unsafe { usage.assume_init() };
        let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        Some(time(usage.ru_utime) + time(usage.ru_stime))
    };
    Some(seconds(libc::RUSAGE_SELF)? + seconds(libc::RUSAGE_CHILDREN)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_time_is_every_field_but_idle_and_iowait() {
        let ticks = clock_ticks_per_second().expect("a clock tick rate");
        // user nice system idle iowait irq softirq steal guest guest_nice
        let stat = "cpu  100 20 30 5000 70 4 6 10 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n";
        let busy = machine_busy(stat).expect("the cpu line parses");
        assert!((busy - 170.0 / ticks).abs() < 1e-9, "{busy}");
        assert_eq!(machine_busy("intr 1 2 3\n"), None);
    }

    #[test]
    fn a_child_this_process_waits_for_counts_as_ours() {
        let before = Snapshot::now().expect("/proc/stat and getrusage are readable here");
        // A child that spins for a while: its CPU is this run's, not another process's.
        let status = std::process::Command::new("sh")
            .args(["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"])
            .status()
            .expect("sh runs");
        assert!(status.success());
        let ours_after = own_tree_seconds().expect("getrusage");
        assert!(
            ours_after - before.ours > 0.01,
            "the child's CPU time reached RUSAGE_CHILDREN"
        );
    }

    #[test]
    fn other_processes_get_the_machine_s_busy_time_less_ours() {
        let at = Instant::now();
        let start = Snapshot {
            machine_busy: 100.0,
            ours: 10.0,
            at,
        };
        let later = |machine_busy, ours| Snapshot {
            machine_busy,
            ours,
            at: at + std::time::Duration::from_secs(20),
        };
        // The machine was busy 8 s more, 6 s of them this run's: 2 s were someone else's.
        let other = start.other_until(&later(108.0, 16.0));
        assert_eq!(
            other,
            OtherCpu {
                seconds: 2.0,
                over: 20.0
            }
        );
        assert!((other.cores() - 0.1).abs() < 1e-12);
        // The two clocks tick differently: ours may read a little above the machine's.
        assert_eq!(start.other_until(&later(105.0, 15.5)).seconds, 0.0);
    }
}
