-- An approval or an override records the red-line hits in force at that moment, so the review
-- record still shows what was passed after the lines (or the text) change.
ALTER TABLE content_reviews ADD COLUMN red_line_hits {json} NOT NULL DEFAULT '[]';
