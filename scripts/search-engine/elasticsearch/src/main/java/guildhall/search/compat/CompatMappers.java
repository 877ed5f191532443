package guildhall.search.compat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.elasticsearch.index.mapper.Mapper;
import org.elasticsearch.index.mapper.MapperParsingException;

/**
 * Field types from the mapper-extras module (not published to Maven Central for 8.x), mapped onto
 * core field types. The mapping a client reads back shows the core type.
 *
 * scaled_float -> double (scaling_factor is validated and dropped: values keep full double precision).
 *
 * search_as_you_type -> text with index_prefixes (the real type's "._index_prefix" subfield) and
 * "._2gram"/"._3gram"... subfields analyzed like the main field, without shingles. A multi_match of
 * type bool_prefix over the field and its subfields matches the same documents as the real type;
 * only the relevance of adjacent-word matches differs, since no shingles are indexed.
 */
final class CompatMappers {

    private CompatMappers() {}

    static Map<String, Mapper.TypeParser> mappers() {
        return Map.of(
            "scaled_float", CompatMappers::scaledFloat,
            "search_as_you_type", CompatMappers::searchAsYouType
        );
    }

    private static Mapper.Builder scaledFloat(String name, Map<String, Object> node,
                                              org.elasticsearch.index.mapper.MappingParserContext ctx) {
        Object factor = node.remove("scaling_factor");
        if (factor == null) {
            throw new MapperParsingException("Field [scaling_factor] is required");
        }
        double value = Double.parseDouble(factor.toString());
        if (Double.isFinite(value) == false || value <= 0) {
            throw new MapperParsingException("[scaling_factor] must be a positive number, got [" + factor + "]");
        }
        return ctx.typeParser("double").parse(name, node, ctx);
    }

    private static Mapper.Builder searchAsYouType(String name, Map<String, Object> node,
                                                  org.elasticsearch.index.mapper.MappingParserContext ctx) {
        Object shingles = node.remove("max_shingle_size");
        int maxShingleSize = shingles == null ? 3 : Integer.parseInt(shingles.toString());
        if (maxShingleSize < 2 || maxShingleSize > 4) {
            throw new MapperParsingException("[max_shingle_size] must be at least [2] and at most [4], got [" + maxShingleSize + "]");
        }
        Map<String, Object> subfield = new LinkedHashMap<>();
        subfield.put("type", "text");
        for (String key : new String[] { "analyzer", "search_analyzer", "search_quote_analyzer", "similarity", "index_options", "norms", "term_vector" }) {
            if (node.containsKey(key)) {
                subfield.put(key, node.get(key));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = node.containsKey("fields")
            ? new LinkedHashMap<>((Map<String, Object>) node.get("fields"))
            : new LinkedHashMap<>();
        for (int n = 2; n <= maxShingleSize; n++) {
            fields.putIfAbsent("_" + n + "gram", new LinkedHashMap<>(subfield));
        }
        node.put("fields", fields);
        node.putIfAbsent("index_prefixes", new LinkedHashMap<>(Map.of("min_chars", 1, "max_chars", 19)));
        return ctx.typeParser("text").parse(name, node, ctx);
    }
}
