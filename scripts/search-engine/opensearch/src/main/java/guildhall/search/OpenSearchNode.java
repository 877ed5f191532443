package guildhall.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single embedded OpenSearch node whose modules are loaded from the classpath (the artifacts
 * OpenSearch publishes on Maven Central) instead of a distribution's modules/ directory.
 * Arguments are node settings as key=value (for example http.port=9201); path.home is required.
 * -Dguildhall.pidfile=FILE makes it write its PID there.
 */
public final class OpenSearchNode extends Node {

    static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class,          // transport-netty4-client: HTTP and transport
        CommonAnalysisPlugin.class,  // analysis-common: asciifolding, stemmer, edge_ngram, language analyzers...
        MapperExtrasPlugin.class,    // mapper-extras-client: search_as_you_type, scaled_float, rank_feature...
        ReindexPlugin.class          // reindex-client: _delete_by_query, _update_by_query, _reindex
    );

    private OpenSearchNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = NodeMain.parseSettings(args);
        Path config = Paths.get(settings.get("path.home", "")).toAbsolutePath().resolve("config");
        Files.createDirectories(config);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), config, () -> settings.get("node.name", "node-1"));
        Node node = new OpenSearchNode(environment, MODULES);
        NodeMain.run(node::start, node::close, "OpenSearch", settings);
    }
}
