"""Messages: templates in Arabic and French, and the SES/SNS senders."""
