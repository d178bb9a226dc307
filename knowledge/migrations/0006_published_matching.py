from django.db import migrations

# The ids of the published articles matching a search, found through the GIN index on
# `search_vector`. Under row-level security PostgreSQL may not use that index: `@@` is not
# leakproof, so it must test every article the policy lets through first (18,000 on the national
# data set, ≈ 72 ms a query). A published article is readable by everyone (its policy's
# `tenant_public_sql`), so the function, run as the owner, reveals nothing a caller may not read;
# the page's own query still applies the policy and `visible_to` to every row it returns.
FUNCTION = """
CREATE OR REPLACE FUNCTION knowledge_published_matching(words text)
RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER ROWS 100
SET search_path = public, pg_temp AS $$
    SELECT id FROM knowledge_article
    WHERE status = 'published' AND search_vector @@ websearch_to_tsquery('danish', words)
$$;
"""
REVERSE = "DROP FUNCTION IF EXISTS knowledge_published_matching(text);"


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_comment_closed_at")]

    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
