#!/usr/bin/env bash
# Smoke test for a running node: creates an index with the analyzers and field types the
# project's search backend uses (asciifolding, lowercase, english stemmer/analyzer, edge_ngram,
# keyword subfields, completion, search_as_you_type), indexes three documents and runs a search
# with aggregations, highlighting, post_filter, a completion suggester and a bool_prefix query.
# Usage: smoke-test.sh [BASE_URL]  (default: the URL `run.sh url elasticsearch` prints)
# Exits non-zero on the first failed check; deletes its index afterwards.
set -euo pipefail
URL="${1:-$(bash "$(dirname "$0")/run.sh" url elasticsearch)}"
INDEX="smoke-test-$$"
fail() { echo "FAIL: $*" >&2; curl -s -XDELETE "$URL/$INDEX" >/dev/null 2>&1 || true; exit 1; }
req() { # METHOD PATH [BODY] -> prints the response body, fails on HTTP >= 400
  local out code
  out=$(curl -sS -w '\n%{http_code}' -X "$1" "$URL$2" -H 'Content-Type: application/json' ${3:+--data-binary "$3"}) \
    || fail "$1 $2: curl error"
  code=${out##*$'\n'}; out=${out%$'\n'*}
  [ "$code" -lt 400 ] || fail "$1 $2 -> HTTP $code: $out"
  printf '%s' "$out"
}
has() { grep -q -- "$2" <<<"$1" || fail "$3 (expected to find $2 in: ${1:0:600})"; }

req PUT "/$INDEX" '{
  "settings": {
    "number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {
      "filter": {
        "edge_ngram_filter": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
        "english_stemmer": {"type": "stemmer", "language": "english"}
      },
      "tokenizer": {
        "edge_ngram_tokenizer": {"type": "edge_ngram", "min_gram": 2, "max_gram": 10, "token_chars": ["letter", "digit"]}
      },
      "analyzer": {
        "folding": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        "stemmed": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "english_stemmer"]},
        "edgengram_analyzer": {"type": "custom", "tokenizer": "lowercase", "filter": ["asciifolding", "edge_ngram_filter"]},
        "edgengram_tokenizer_analyzer": {"type": "custom", "tokenizer": "edge_ngram_tokenizer", "filter": ["lowercase"]}
      }
    }
  },
  "mappings": {
    "properties": {
      "title": {"type": "text", "analyzer": "stemmed",
                "fields": {"raw": {"type": "keyword"}, "folded": {"type": "text", "analyzer": "folding"},
                           "english": {"type": "text", "analyzer": "english"},
                           "edgengrams": {"type": "text", "analyzer": "edgengram_analyzer", "search_analyzer": "folding"}}},
      "body": {"type": "text", "analyzer": "english"},
      "title_sayt": {"type": "search_as_you_type"},
      "suggest": {"type": "completion"},
      "portal": {"type": "keyword"},
      "doc_type": {"type": "keyword"},
      "price": {"type": "scaled_float", "scaling_factor": 100},
      "posted_at": {"type": "date"}
    }
  }
}' >/dev/null
echo "ok: index with asciifolding/stemmer/english/edge_ngram analyzers, completion, search_as_you_type, scaled_float" >&2

req POST "/$INDEX/_bulk?refresh=true" '{"index":{"_id":"1"}}
{"title":"Café machines for sale","body":"Running espresso machines, barely used","title_sayt":"Café machines for sale","suggest":{"input":["Café machines","Coffee"]},"portal":"food","doc_type":"listing","price":1200.50,"posted_at":"2026-01-02"}
{"index":{"_id":"2"}}
{"title":"Buying used tractors","body":"We buy tractors of any brand","title_sayt":"Buying used tractors","suggest":{"input":["Tractors"]},"portal":"farm","doc_type":"listing","price":30000,"posted_at":"2026-02-03"}
{"index":{"_id":"3"}}
{"title":"Coffee roaster news","body":"The roasters ran a new campaign","title_sayt":"Coffee roaster news","suggest":{"input":["Coffee roaster"]},"portal":"food","doc_type":"news","posted_at":"2026-03-04"}
' | grep -q '"errors":false' || fail "bulk indexing reported errors"
echo "ok: bulk indexed 3 documents" >&2

out=$(req POST "/$INDEX/_analyze" '{"analyzer":"stemmed","text":"Cafés Running"}')
has "$out" '"token":"cafe"' "asciifolding+stemmer"; has "$out" '"token":"run"' "english stemmer"
out=$(req POST "/$INDEX/_analyze" '{"analyzer":"edgengram_tokenizer_analyzer","text":"Tractor"}')
has "$out" '"token":"tr"' "edge_ngram tokenizer"
echo "ok: _analyze (asciifolding, stemmer, edge_ngram)" >&2

out=$(req POST "/$INDEX/_search" '{
  "query": {"bool": {"must": {"multi_match": {"query": "cafe machine run", "fields": ["title^3", "title.folded", "title.english", "body"]}}}},
  "post_filter": {"term": {"doc_type": "listing"}},
  "aggs": {"portals": {"terms": {"field": "portal"}}, "types": {"terms": {"field": "doc_type"}},
           "prices": {"range": {"field": "price", "ranges": [{"to": 1000}, {"from": 1000}]}},
           "per_month": {"date_histogram": {"field": "posted_at", "calendar_interval": "month"}}},
  "highlight": {"fields": {"title": {}, "body": {}}},
  "suggest": {"title-suggest": {"prefix": "cof", "completion": {"field": "suggest"}}}
}')
has "$out" '"_id":"1"' "search hit"; has "$out" '<em>' "highlighting"; has "$out" '"key":"food"' "terms aggregation"
has "$out" '"text":"Coffee' "completion suggester"
echo "ok: search with multi_match, post_filter, terms/range/date_histogram aggs, highlight, completion suggest" >&2

out=$(req POST "/$INDEX/_search" '{"query": {"multi_match": {"query": "coffee roa", "type": "bool_prefix",
  "fields": ["title_sayt", "title_sayt._2gram", "title_sayt._3gram"]}}}')
has "$out" '"_id":"3"' "search_as_you_type bool_prefix"
out=$(req POST "/$INDEX/_search" '{"query": {"match": {"title.edgengrams": "tract"}}}')
has "$out" '"_id":"2"' "edge_ngram autocomplete field"
echo "ok: search_as_you_type bool_prefix and edge_ngram autocomplete" >&2

req DELETE "/$INDEX" >/dev/null
echo "smoke test passed against $URL" >&2
