"""The Textual dashboard: live session, log / manual entry, review. Widgets show; the small
non-widget modules here (live_view, entry, summary, format) hold the logic they show; the
live session's controller is in tenslog.live (no textual)."""
