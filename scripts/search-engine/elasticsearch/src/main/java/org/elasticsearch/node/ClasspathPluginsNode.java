package org.elasticsearch.node;

import java.util.Collection;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * An Elasticsearch node whose plugins are classes on the classpath rather than bundles in a
 * distribution's modules/ and plugins/ directories. It lives in org.elasticsearch.node because the
 * constructor that accepts a custom NodeServiceProvider is package-private. Only the plugin service
 * is replaced: every other service (search, transport, HTTP, scripts, big arrays) is the real one.
 */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                return new ClasspathPluginsService(env, plugins);
            }
        }, true));
    }
}
