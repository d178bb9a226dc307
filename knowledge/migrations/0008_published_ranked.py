from django.db import migrations

# The published articles matching a search with their rank, in one pass over the GIN index's
# matches: the rank (`search_head`, title and summary) is read from the same heap rows the index
# led to, instead of looking each match up again by id under row-level security (9,000 lookups
# for a common word on the national data set). As with `knowledge_published_matching`, a
# published article is readable by everyone, so the owner's function reveals nothing a caller
# may not read; the page reads the articles it shows under the policy. The bitmap scan over the
# index is several times faster than the sequential scan PostgreSQL would choose for a common
# word (it does not know that testing a tsvector means decompressing it).
FUNCTION = """
CREATE OR REPLACE FUNCTION knowledge_published_ranked(words text, weights real[])
RETURNS TABLE (id bigint, rank real, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 1000
SET search_path = public, pg_temp SET enable_seqscan = off AS $$
    SELECT id, ts_rank(weights, search_head, websearch_to_tsquery('danish', words)), updated_at
    FROM knowledge_article
    WHERE status = 'published' AND search_vector @@ websearch_to_tsquery('danish', words)
$$;
"""
REVERSE = "DROP FUNCTION IF EXISTS knowledge_published_ranked(text, real[]);"


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0007_article_most_used")]

    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
