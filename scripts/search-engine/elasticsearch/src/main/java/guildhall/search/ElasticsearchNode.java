package guildhall.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import guildhall.search.compat.ModulesCompatPlugin;

/**
 * A single embedded Elasticsearch node with its plugins loaded from the classpath.
 * Arguments are node settings as key=value (for example http.port=9200); path.home is required.
 * -Dguildhall.pidfile=FILE makes it write its PID there.
 */
public final class ElasticsearchNode {

    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,         // transport-netty4 (published on Maven Central): HTTP and transport
        ModulesCompatPlugin.class   // stands in for analysis-common, mapper-extras, reindex, rest-root
    );

    public static void main(String[] args) throws Exception {
        Settings settings = NodeMain.parseSettings(args);
        // Route Elasticsearch's own logging API to log4j (configured by log4j2.properties on the classpath).
        LogConfigurator.configureESLogging();
        Path config = Paths.get(settings.get("path.home", "")).toAbsolutePath().resolve("config");
        Files.createDirectories(config);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), config, () -> settings.get("node.name", "node-1"));
        Node node = new ClasspathPluginsNode(environment, PLUGINS);
        NodeMain.run(node::start, node::close, "Elasticsearch", settings);
    }
}
