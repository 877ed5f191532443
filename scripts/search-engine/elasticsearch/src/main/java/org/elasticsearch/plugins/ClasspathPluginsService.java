package org.elasticsearch.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.env.Environment;

/**
 * A plugins service that instantiates the given plugin classes from the application classpath
 * (instead of scanning modules/ and plugins/ directories for bundles). Lives in
 * org.elasticsearch.plugins to reach the package-private loading helpers of PluginsService.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> loaded;

    public ClasspathPluginsService(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(environment.settings(), environment.configDir(), new PluginsLoader(Set.of(), Set.of(), Map.of()));
        List<LoadedPlugin> list = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            Plugin plugin = loadPlugin(pluginClass, environment.settings(), environment.configDir());
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getSimpleName(),
                "loaded from the classpath",
                Build.current().version(),
                Build.current().version(),
                Integer.toString(Runtime.version().feature()),
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            list.add(new LoadedPlugin(descriptor, plugin, pluginClass.getClassLoader()));
        }
        loadExtensions(list);
        this.loaded = List.copyOf(list);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return loaded;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(
            List.of(),
            loaded.stream().map(LoadedPlugin::descriptor).toList()
        );
    }
}
