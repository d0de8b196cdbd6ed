//! The three retry schedules of outgoing webhooks (spec §3.9).

/// A retry schedule, stored as its lower-case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryDelay {
    /// `powers-of-ten`: 10^(n+2) ms.
    PowersOfTen,
    /// `powers-of-two`: 2^(n+1) s.
    PowersOfTwo,
    /// `increments-of-two`: 2(n+1) s.
    IncrementsOfTwo,
}

impl RetryDelay {
    /// All schedules, default first.
    pub const ALL: [RetryDelay; 3] = [
        RetryDelay::PowersOfTen,
        RetryDelay::PowersOfTwo,
        RetryDelay::IncrementsOfTwo,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryDelay::PowersOfTen => "powers-of-ten",
            RetryDelay::PowersOfTwo => "powers-of-two",
            RetryDelay::IncrementsOfTwo => "increments-of-two",
        }
    }

    /// Reads a name; the server lower-cases it, so any letter case is accepted.
    pub fn parse(name: &str) -> Option<RetryDelay> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(name))
    }

    /// Human label for the select.
    pub fn label(self) -> &'static str {
        match self {
            RetryDelay::PowersOfTen => "Powers of ten",
            RetryDelay::PowersOfTwo => "Powers of two",
            RetryDelay::IncrementsOfTwo => "Increments of two",
        }
    }

    /// Wait before retry number `attempt` (0-based), in milliseconds, saturating.
    pub fn delay_ms(self, attempt: u32) -> u64 {
        let n = attempt.min(60);
        match self {
            RetryDelay::PowersOfTen => 10u64.saturating_pow(n.saturating_add(2)),
            RetryDelay::PowersOfTwo => 2u64.saturating_pow(n + 1).saturating_mul(1000),
            RetryDelay::IncrementsOfTwo => 2 * (u64::from(n) + 1) * 1000,
        }
    }

    /// The first waits in plain words, e.g. `"0.1 s, 1 s, 10 s, …"`.
    pub fn describe(self) -> String {
        let parts: Vec<String> = (0..3).map(|n| seconds(self.delay_ms(n))).collect();
        format!("{}, …", parts.join(", "))
    }
}

/// Milliseconds as seconds with at most one decimal, e.g. `"0.1 s"`, `"10 s"`.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}
