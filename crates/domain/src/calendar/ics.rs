//! The iCalendar feed (RFC 5545, with RFC 7986's NAME and REFRESH-INTERVAL): one VEVENT per
//! scheduled item, times in the workspace's zone with its VTIMEZONE, stable UIDs, SEQUENCE
//! from the item's version, cancelled items as STATUS:CANCELLED.
//!
//! Written here rather than with a builder crate: the ones at hand add DTSTAMP and a random
//! UID to every component, VTIMEZONE and its observances included, which RFC 5545 forbids and
//! which would make each fetch differ.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    fn as_str(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One event of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEvent {
    /// Stable across fetches and edits (the item's id and the install's host).
    pub uid: String,
    /// Moves up with every change (the item's version).
    pub sequence: i64,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub categories: Vec<String>,
    pub url: Option<String>,
    pub start: DateTime<Utc>,
    pub minutes: i64,
    pub status: EventStatus,
    /// When the item last changed: DTSTAMP and LAST-MODIFIED.
    pub stamp: DateTime<Utc>,
    pub created: DateTime<Utc>,
}

/// The whole feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub name: String,
    pub description: String,
    pub tz: Tz,
    pub events: Vec<FeedEvent>,
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn text(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    if s % 60 == 0 {
        format!("{sign}{:02}{:02}", s / 3600, (s / 60) % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, (s / 60) % 60, s % 60)
    }
}

/// The zone's offset, whether it is summer time, and its abbreviation at an instant.
fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        o.dst_offset() != Duration::zero(),
        o.abbreviation().unwrap_or_default().to_owned(),
    )
}

/// The zone's transitions between two instants: (instant, offset before, offset after).
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, i32)> {
    let mut out = Vec::new();
    let mut t = from;
    let mut before = offset_at(tz, t).0;
    while t < to {
        let next = t + Duration::days(1);
        let after = offset_at(tz, next).0;
        if after != before {
            // Narrow the day down to the second of the change.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid).0 == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, before));
            before = after;
        }
        t = next;
    }
    out
}

/// VTIMEZONE for the zone, with every transition from a year before the first event to a
/// year after the last (a zone without summer time is one STANDARD block).
fn vtimezone(out: &mut String, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", tz.name()));
    let (first, dst, name) = offset_at(tz, from);
    let kind = |dst: bool| if dst { "DAYLIGHT" } else { "STANDARD" };
    let observance = |out: &mut String,
                      kind: &str,
                      start: NaiveDateTime,
                      off_from: i32,
                      off_to: i32,
                      name: &str| {
        line(out, &format!("BEGIN:{kind}"));
        line(out, &format!("DTSTART:{}", local_stamp(start)));
        line(out, &format!("TZOFFSETFROM:{}", offset_text(off_from)));
        line(out, &format!("TZOFFSETTO:{}", offset_text(off_to)));
        if !name.is_empty() {
            line(out, &format!("TZNAME:{}", text(name)));
        }
        line(out, &format!("END:{kind}"));
    };
    // The offset in force when the range starts, from 1970 on.
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    observance(out, kind(dst), epoch, first, first, &name);
    for (at, before) in transitions(tz, from, to) {
        let (after, dst, name) = offset_at(tz, at);
        // DTSTART is the local time of the change in the offset before it.
        let local = at.naive_utc() + Duration::seconds(i64::from(before));
        observance(out, kind(dst), local, before, after, &name);
    }
    line(out, "END:VTIMEZONE");
}

impl Feed {
    /// The feed as `text/calendar` (CRLF lines, folded).
    pub fn write(&self) -> String {
        let mut out = String::with_capacity(512 + self.events.len() * 400);
        line(&mut out, "BEGIN:VCALENDAR");
        line(&mut out, "VERSION:2.0");
        line(&mut out, "PRODID:-//KOX//Content calendar//ZH");
        line(&mut out, "CALSCALE:GREGORIAN");
        line(&mut out, "METHOD:PUBLISH");
        line(&mut out, &format!("NAME:{}", text(&self.name)));
        line(&mut out, &format!("X-WR-CALNAME:{}", text(&self.name)));
        if !self.description.is_empty() {
            line(
                &mut out,
                &format!("DESCRIPTION:{}", text(&self.description)),
            );
            line(
                &mut out,
                &format!("X-WR-CALDESC:{}", text(&self.description)),
            );
        }
        line(&mut out, &format!("X-WR-TIMEZONE:{}", self.tz.name()));
        line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        line(&mut out, "X-PUBLISHED-TTL:PT1H");
        let first = self.events.iter().map(|e| e.start).min();
        let last = self.events.iter().map(|e| e.start).max();
        let (from, to) = match (first, last) {
            (Some(a), Some(b)) => (a, b),
            _ => (
                Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                    .single()
                    .unwrap_or_default(),
                Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                    .single()
                    .unwrap_or_default(),
            ),
        };
        let year_start = |y: i32| {
            Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or(from)
        };
        vtimezone(
            &mut out,
            self.tz,
            year_start(from.year() - 1),
            year_start(to.year() + 2),
        );
        for e in &self.events {
            let local = |t: DateTime<Utc>| local_stamp(t.with_timezone(&self.tz).naive_local());
            line(&mut out, "BEGIN:VEVENT");
            line(&mut out, &format!("UID:{}", text(&e.uid)));
            line(&mut out, &format!("DTSTAMP:{}", utc_stamp(e.stamp)));
            line(&mut out, &format!("CREATED:{}", utc_stamp(e.created)));
            line(&mut out, &format!("LAST-MODIFIED:{}", utc_stamp(e.stamp)));
            line(&mut out, &format!("SEQUENCE:{}", e.sequence.max(0)));
            line(
                &mut out,
                &format!("DTSTART;TZID={}:{}", self.tz.name(), local(e.start)),
            );
            line(
                &mut out,
                &format!(
                    "DTEND;TZID={}:{}",
                    self.tz.name(),
                    local(e.start + Duration::minutes(e.minutes.max(1)))
                ),
            );
            line(&mut out, &format!("SUMMARY:{}", text(&e.summary)));
            if !e.description.is_empty() {
                line(&mut out, &format!("DESCRIPTION:{}", text(&e.description)));
            }
            if let Some(l) = &e.location {
                line(&mut out, &format!("LOCATION:{}", text(l)));
            }
            if !e.categories.is_empty() {
                let cats: Vec<String> = e.categories.iter().map(|c| text(c)).collect();
                line(&mut out, &format!("CATEGORIES:{}", cats.join(",")));
            }
            if let Some(u) = &e.url {
                line(&mut out, &format!("URL:{u}"));
            }
            line(&mut out, &format!("STATUS:{}", e.status.as_str()));
            line(&mut out, "TRANSP:TRANSPARENT");
            line(&mut out, "END:VEVENT");
        }
        line(&mut out, "END:VCALENDAR");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "星河S7".repeat(30)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "星河S7".repeat(30)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn shanghai_is_one_standard_block_and_berlin_has_its_changes() {
        let mut out = String::new();
        vtimezone(
            &mut out,
            chrono_tz::Asia::Shanghai,
            utc("2025-01-01T00:00:00Z"),
            utc("2028-01-01T00:00:00Z"),
        );
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert!(!out.contains("DAYLIGHT"));
        assert!(out.contains("TZOFFSETTO:+0800"));
        let mut out = String::new();
        vtimezone(
            &mut out,
            chrono_tz::Europe::Berlin,
            utc("2026-01-01T00:00:00Z"),
            utc("2027-01-01T00:00:00Z"),
        );
        // Summer time from 29 March 02:00 (+0100 → +0200), back on 25 October 03:00.
        assert!(out.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"), "{out}");
        assert!(out.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"), "{out}");
    }

    #[test]
    fn events_carry_local_times_and_their_status() {
        let feed = Feed {
            name: "KOX · 我的账号".into(),
            description: String::new(),
            tz: chrono_tz::Asia::Shanghai,
            events: vec![FeedEvent {
                uid: "content-7@kox.example".into(),
                sequence: 3,
                summary: "星河S7 首测, 上".into(),
                description: "账号 @auto_lab".into(),
                location: None,
                categories: vec!["KOL".into()],
                url: Some("https://kox.example/content?item=7".into()),
                start: utc("2026-12-08T12:00:00Z"),
                minutes: 30,
                status: EventStatus::Cancelled,
                stamp: utc("2026-12-07T08:00:00Z"),
                created: utc("2026-12-01T08:00:00Z"),
            }],
        };
        let s = feed.write();
        assert!(s.contains("DTSTART;TZID=Asia/Shanghai:20261208T200000\r\n"));
        assert!(s.contains("DTEND;TZID=Asia/Shanghai:20261208T203000\r\n"));
        assert!(s.contains("SUMMARY:星河S7 首测\\, 上\r\n"));
        assert!(s.contains("STATUS:CANCELLED\r\n"));
        assert!(s.contains("SEQUENCE:3\r\n"));
        assert!(s.ends_with("END:VCALENDAR\r\n"));
        // The same input writes the same bytes: no clock, no random UID.
        assert_eq!(s, feed.write());
    }
}
