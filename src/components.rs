//! Pieces shared by several screens, or by the shell around them.

pub mod area_picker;
pub mod download;
pub mod field_problems;
pub mod later;
pub mod share;
pub mod storage_status;
pub mod sync_status;
pub mod update_banner;
