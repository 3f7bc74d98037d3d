"""Papers from elsewhere: OpenReview exports into paper folders."""
