//! The REST rate limiter: 10 calls per 60 s per route + method + client IP (spec §6.7).

use crate::util::now_ms;
use std::collections::HashMap;
use std::sync::Mutex;

pub const LIMIT_CALLS: u64 = 10;
pub const LIMIT_WINDOW_MS: u64 = 60_000;

pub struct Outcome {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    pub reset_epoch_ms: u64,
    pub seconds_to_reset: u64,
}

#[derive(Default)]
pub struct RateLimiter {
    /// key → (window start in epoch ms, calls in window)
    windows: Mutex<HashMap<String, (u64, u64)>>,
}

impl RateLimiter {
    /// Counts one call (Meteor's limiter increments, then checks).
    pub fn hit(&self, key: &str) -> Outcome {
        let now = now_ms();
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let entry = w.entry(key.to_string()).or_insert((now, 0));
        if now.saturating_sub(entry.0) >= LIMIT_WINDOW_MS {
            *entry = (now, 0);
        }
        entry.1 += 1;
        let time_to_reset = (entry.0 + LIMIT_WINDOW_MS).saturating_sub(now);
        Outcome {
            allowed: entry.1 <= LIMIT_CALLS,
            limit: LIMIT_CALLS,
            remaining: LIMIT_CALLS.saturating_sub(entry.1),
            reset_epoch_ms: now + time_to_reset,
            seconds_to_reset: time_to_reset.div_ceil(1000),
        }
    }

    pub fn clear(&self) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
