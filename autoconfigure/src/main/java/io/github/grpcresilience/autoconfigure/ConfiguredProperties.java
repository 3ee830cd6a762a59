package io.github.grpcresilience.autoconfigure;

import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Reads what the user actually configured, as opposed to a default: needed to decide whether
 * net.devh's property or ours wins, and to bind a channel's overrides on top of the defaults.
 * Names may use relaxed binding ({@code keep-alive-time}, {@code keepAliveTime},
 * {@code GRPC_SERVER_KEEPALIVETIME}, ...).
 */
public final class ConfiguredProperties {

    private final Iterable<ConfigurationPropertySource> sources;
    private final Binder binder;

    public ConfiguredProperties(Environment environment) {
        this.sources = ConfigurationPropertySources.get(environment);
        this.binder = new Binder(sources);
    }

    /** Whether the property is set in any property source. */
    public boolean isSet(String name) {
        ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(propertyName) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the property or any property below it is set in any property source. */
    public boolean isAnySet(String prefix) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(name) != null
                    || source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /**
     * The most specific of {@code levels} (least specific first, e.g. the client defaults, then a
     * channel) that sets {@code prefix.suffix}, else the least specific: the property an error
     * message should name.
     */
    public String whereSet(List<String> levels, String suffix) {
        for (int i = levels.size() - 1; i >= 0; i--) {
            if (isAnySet(levels.get(i) + "." + suffix)) {
                return levels.get(i) + "." + suffix;
            }
        }
        return levels.get(0) + "." + suffix;
    }

    /** The bound value of the property, if it is set. */
    public <T> Optional<T> get(String name, Class<T> type) {
        return binder.bind(name, Bindable.of(type)).map(Optional::of).orElse(Optional.empty());
    }

    /** Binds whatever is configured under {@code prefix} onto an existing object. */
    public <T> void bindOnto(String prefix, T target) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) target.getClass();
        binder.bind(prefix, Bindable.of(type).withExistingValue(target));
    }

    /** The keys of a map property, e.g. the channel names under {@code grpc.client}. */
    public java.util.Set<String> mapKeys(String prefix) {
        ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof org.springframework.boot.context.properties.source.IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(name -> root.isAncestorOf(name) && name.getNumberOfElements() > root.getNumberOfElements())
                        .forEach(name -> keys.add(name.getElement(root.getNumberOfElements(),
                                ConfigurationPropertyName.Form.ORIGINAL)));
            }
        }
        return keys;
    }

    /**
     * The property name of a map entry: {@code prefix.key.suffix} for a plain key (matched the way
     * Spring matches map keys, ignoring case), {@code prefix[key].suffix} for one with dots or
     * other characters.
     */
    public static String entry(String prefix, String key, String suffix) {
        String element = key.matches("[A-Za-z0-9-]+") ? "." + key.toLowerCase(java.util.Locale.ROOT) : "[" + key + "]";
        return prefix + element + (suffix.isEmpty() ? "" : "." + suffix);
    }
}
