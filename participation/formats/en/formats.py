"""English dates with the month written out (12 March 2026), which no reader can misread
as day/month or month/day; times on the 12-hour clock of the American interface."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, P"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, P"
