-- 0010: the index refresh looks back at rows updated shortly before its
-- previous look (store_candidates_pull), so updated_at needs an index.
CREATE INDEX normalized_candidates_updated ON normalized_candidates (updated_at);
