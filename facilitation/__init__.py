"""The facilitators' home (/moderation/): reads across workshops, consultations and results, above them all."""
