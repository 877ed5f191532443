package guildhall.search.compat;

import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseLightStemFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

/**
 * Analysis components that a distribution's analysis-common module provides, rebuilt here on the
 * same Apache Lucene classes (that module is not published to Maven Central for 8.x). Settings
 * names and defaults follow the Elasticsearch reference documentation.
 */
final class CompatAnalysis {

    private CompatAnalysis() {}

    // ---- token filters -------------------------------------------------------------------------

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new HashMap<>();
        m.put("asciifolding", (is, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return normalizing(name, ts -> new ASCIIFoldingFilter(ts, preserve));
        });
        m.put("stemmer", (is, env, name, s) -> {
            String language = s.get("language", s.get("name", "english"));
            Function<TokenStream, TokenStream> stemmer = stemmer(language);
            return filter(name, stemmer);
        });
        m.put("porter_stem", (is, env, name, s) -> filter(name, PorterStemFilter::new));
        m.put("kstem", (is, env, name, s) -> filter(name, KStemFilter::new));
        m.put("snowball", (is, env, name, s) -> {
            String language = s.get("language", "English");
            return filter(name, ts -> new SnowballFilter(ts, capitalize(language)));
        });
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return filter(name, ts -> new EdgeNGramTokenFilter(ts, min, max, preserve));
        });
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(is, min, max);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return filter(name, ts -> new NGramTokenFilter(ts, min, max, preserve));
        });
        m.put("trim", (is, env, name, s) -> normalizing(name, TrimFilter::new));
        m.put("uppercase", (is, env, name, s) -> normalizing(name, UpperCaseFilter::new));
        m.put("decimal_digit", (is, env, name, s) -> normalizing(name, DecimalDigitFilter::new));
        m.put("reverse", (is, env, name, s) -> filter(name, ReverseStringFilter::new));
        m.put("length", (is, env, name, s) -> {
            int min = s.getAsInt("min", 0);
            int max = s.getAsInt("max", Integer.MAX_VALUE);
            return filter(name, ts -> new LengthFilter(ts, min, max));
        });
        m.put("truncate", (is, env, name, s) -> {
            int length = s.getAsInt("length", 10);
            return filter(name, ts -> new TruncateTokenFilter(ts, length));
        });
        return m;
    }

    static Function<TokenStream, TokenStream> stemmer(String language) {
        switch (language.toLowerCase(Locale.ROOT)) {
            case "english":
            case "porter":
                return PorterStemFilter::new;
            case "light_english":
            case "kstem":
                return KStemFilter::new;
            case "minimal_english":
                return EnglishMinimalStemFilter::new;
            case "possessive_english":
                return EnglishPossessiveFilter::new;
            case "porter2":
                return ts -> new SnowballFilter(ts, "English");
            case "light_french":
                return FrenchLightStemFilter::new;
            case "light_german":
                return GermanLightStemFilter::new;
            case "light_spanish":
                return SpanishLightStemFilter::new;
            case "light_italian":
                return ItalianLightStemFilter::new;
            case "light_portuguese":
                return PortugueseLightStemFilter::new;
            default:
                // Snowball stemmers by language name: french, german, spanish, italian, dutch, ...
                String snowball = capitalize(language);
                try {
                    Class.forName("org.tartarus.snowball.ext." + snowball + "Stemmer");
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("unknown stemmer language [" + language + "]");
                }
                return ts -> new SnowballFilter(ts, snowball);
        }
    }

    // ---- tokenizers ----------------------------------------------------------------------------

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new HashMap<>();
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            IntPredicate chars = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> chars == null
                ? new EdgeNGramTokenizer(min, max)
                : new EdgeNGramTokenizer(min, max) {
                    @Override
                    protected boolean isTokenChar(int chr) {
                        return chars.test(chr);
                    }
                });
        });
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(is, min, max);
            IntPredicate chars = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> chars == null
                ? new NGramTokenizer(min, max)
                : new NGramTokenizer(min, max) {
                    @Override
                    protected boolean isTokenChar(int chr) {
                        return chars.test(chr);
                    }
                });
        });
        m.put("whitespace", (is, env, name, s) -> TokenizerFactory.newFactory(name, WhitespaceTokenizer::new));
        m.put("keyword", (is, env, name, s) -> TokenizerFactory.newFactory(name, KeywordTokenizer::new));
        m.put("letter", (is, env, name, s) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        m.put("lowercase", (is, env, name, s) -> TokenizerFactory.newFactory(name, LowerCaseTokenizer::new));
        m.put("classic", (is, env, name, s) -> TokenizerFactory.newFactory(name, ClassicTokenizer::new));
        m.put("uax_url_email", (is, env, name, s) -> TokenizerFactory.newFactory(name, UAX29URLEmailTokenizer::new));
        m.put("path_hierarchy", (is, env, name, s) -> {
            char delimiter = s.get("delimiter", "/").charAt(0);
            return TokenizerFactory.newFactory(name, () -> new PathHierarchyTokenizer(delimiter, delimiter));
        });
        m.put("pattern", (is, env, name, s) -> {
            Pattern pattern = Pattern.compile(s.get("pattern", "\\W+"));
            int group = s.getAsInt("group", -1);
            return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(pattern, group));
        });
        return m;
    }

    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String cls : classes) {
            IntPredicate p;
            switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter": p = Character::isLetter; break;
                case "digit": p = Character::isDigit; break;
                case "whitespace": p = Character::isWhitespace; break;
                case "punctuation": p = c -> {
                    int t = Character.getType(c);
                    return t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                        || t == Character.OTHER_PUNCTUATION || t == Character.CONNECTOR_PUNCTUATION
                        || t == Character.DASH_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                        || t == Character.FINAL_QUOTE_PUNCTUATION;
                }; break;
                case "symbol": p = c -> {
                    int t = Character.getType(c);
                    return t == Character.MATH_SYMBOL || t == Character.CURRENCY_SYMBOL
                        || t == Character.MODIFIER_SYMBOL || t == Character.OTHER_SYMBOL;
                }; break;
                case "custom": {
                    String custom = s.get("custom_token_chars", "");
                    p = c -> custom.indexOf(c) >= 0;
                    break;
                }
                default: throw new IllegalArgumentException("unknown token_chars class [" + cls + "]");
            }
            result = result.or(p);
        }
        return result;
    }

    // ---- char filters --------------------------------------------------------------------------

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new HashMap<>();
        m.put("html_strip", (is, env, name, s) -> {
            java.util.Set<String> escaped = new java.util.HashSet<>(s.getAsList("escaped_tags"));
            return charFilter(name, r -> new HTMLStripCharFilter(r, escaped.isEmpty() ? null : escaped));
        });
        m.put("mapping", (is, env, name, s) -> {
            NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
            for (String rule : s.getAsList("mappings")) {
                int arrow = rule.indexOf("=>");
                if (arrow < 0) {
                    throw new IllegalArgumentException("invalid mapping rule [" + rule + "]");
                }
                builder.add(rule.substring(0, arrow).trim(), rule.substring(arrow + 2).trim());
            }
            NormalizeCharMap map = builder.build();
            return normalizingCharFilter(name, r -> new MappingCharFilter(map, r));
        });
        m.put("pattern_replace", (is, env, name, s) -> {
            Pattern pattern = Pattern.compile(s.get("pattern", ""));
            String replacement = s.get("replacement", "");
            return normalizingCharFilter(name, r -> new PatternReplaceCharFilter(pattern, replacement, r));
        });
        return m;
    }

    // ---- analyzers -----------------------------------------------------------------------------

    @FunctionalInterface
    interface LanguageAnalyzer {
        Analyzer create(CharArraySet stopwords, CharArraySet stemExclusion);
    }

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new HashMap<>();
        language(m, "english", EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, EnglishAnalyzer::new);
        language(m, "french", FrenchAnalyzer.getDefaultStopSet(), FrenchAnalyzer::new);
        language(m, "german", GermanAnalyzer.getDefaultStopSet(), GermanAnalyzer::new);
        language(m, "spanish", SpanishAnalyzer.getDefaultStopSet(), SpanishAnalyzer::new);
        language(m, "italian", ItalianAnalyzer.getDefaultStopSet(), ItalianAnalyzer::new);
        language(m, "dutch", DutchAnalyzer.getDefaultStopSet(), DutchAnalyzer::new);
        language(m, "portuguese", PortugueseAnalyzer.getDefaultStopSet(), PortugueseAnalyzer::new);
        return m;
    }

    private static void language(Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m,
                                 String type, CharArraySet defaultStop, LanguageAnalyzer factory) {
        m.put(type, (is, env, name, s) -> {
            CharArraySet stop = Analysis.parseStopWords(env, s, defaultStop);
            CharArraySet exclusion = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
            Analyzer analyzer = factory.create(stop, exclusion);
            return new AbstractIndexAnalyzerProvider<Analyzer>(name, s) {
                @Override
                public Analyzer get() {
                    return analyzer;
                }
            };
        });
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void checkNgramDiff(IndexSettings is, int min, int max) {
        int allowed = is.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException("The difference between max_gram and min_gram in NGram Tokenizer must be less "
                + "than or equal to: [" + allowed + "] but was [" + (max - min) + "]. This limit can be set by changing the ["
                + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting.");
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static TokenFilterFactory filter(String name, Function<TokenStream, TokenStream> f) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }
        };
    }

    private static TokenFilterFactory normalizing(String name, Function<TokenStream, TokenStream> f) {
        return new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }
        };
    }

    private static CharFilterFactory charFilter(String name, Function<Reader, Reader> f) {
        return new CharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader reader) {
                return f.apply(reader);
            }
        };
    }

    private static CharFilterFactory normalizingCharFilter(String name, Function<Reader, Reader> f) {
        return new NormalizingCharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader reader) {
                return f.apply(reader);
            }
        };
    }
}
