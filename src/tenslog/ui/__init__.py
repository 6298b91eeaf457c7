"""The Textual dashboard: live session, log / manual entry, review. Widgets show; the small
non-widget modules here (live_session, entry, summary, format) hold the logic they show."""
