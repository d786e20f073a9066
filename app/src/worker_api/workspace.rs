//! Messages about the saved workspace: where the browser's copy stands.

use serde::{Deserialize, Serialize};

/// Where the copy of the workspace saved in the browser (IndexedDB) stands,
/// for the header's status line. The worker sends one after every save
/// attempt, after a restore and after clearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveStatus {
    /// Everything is saved.
    Saved {
        /// When, as local `HH:MM`.
        time: String,
    },
    /// Nothing is saved: the workspace was cleared (or never had data).
    Empty,
    /// The last change could not be saved; the earlier save, if any, is
    /// intact and the work in memory is untouched.
    Failed {
        /// Why, and what to do.
        reason: String,
    },
    /// Another tab saved newer work of this workspace; this tab does not
    /// save over it unless the user says so.
    Conflict {
        /// When the other tab saved, as local `HH:MM`.
        time: String,
    },
}

impl SaveStatus {
    /// The status line's words.
    pub fn text(&self) -> String {
        match self {
            SaveStatus::Saved { time } => format!("Saved {time}"),
            SaveStatus::Empty => "Nothing saved".into(),
            SaveStatus::Failed { reason } => format!("Not saved: {reason}"),
            SaveStatus::Conflict { time } => {
                format!("Not saved: another tab saved newer work at {time}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_says_when_or_why_not() {
        let cases = [
            (SaveStatus::Saved { time: "12:03".into() }, "Saved 12:03"),
            (SaveStatus::Empty, "Nothing saved"),
            (SaveStatus::Failed { reason: "storage is full".into() }, "Not saved: storage is full"),
            (
                SaveStatus::Conflict { time: "12:04".into() },
                "Not saved: another tab saved newer work at 12:04",
            ),
        ];
        for (status, text) in cases {
            assert_eq!(status.text(), text);
        }
    }
}
