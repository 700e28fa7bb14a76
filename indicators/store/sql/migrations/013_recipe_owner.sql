-- A recipe belongs to whoever saved it: `scopes` is the saver's reach when it was saved,
-- '*' for a district editor (the recipe applies to everyone's loads) or the 街镇 codes
-- joined by commas (it applies only to loads by editors of those 街镇). A recipe saved
-- before this migration has none recorded: it is judged by its saver's account as it is.
alter table recipes add column scopes varchar;
