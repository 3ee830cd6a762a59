package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.autoconfigure.serviceconfig.CallProperties;
import io.github.grpcresilience.serviceconfig.MethodName;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses every property under {@code grpc.resilience} that binds to nothing: a misspelt name at
 * any level (map values included: {@code client.channels.<name>.*}, {@code methods."[...]".*},
 * {@code streams.instances.<name>.*}, {@code server.health.services.<name>.*}), and a map key
 * that Spring would split at its dots or strip of its slashes because it is not in brackets.
 *
 * <p>Spring Boot's {@code ignoreUnknownFields = false} does not reach the per-channel, per-method
 * and per-stream entries, which are bound field by field on top of the defaults, and it never sees
 * the key as written: Spring drops {@code /} and {@code *} from unbracketed names. So this check
 * reads the raw names of every property source and walks them against the properties classes
 * (their JavaBean properties, matched the way relaxed binding matches them). It runs as a bean
 * factory post-processor, before any bean is created: a misspelt name is reported as such rather
 * than as whatever binding error it causes.
 */
public final class PropertyNamesCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(GrpcResilienceProperties.PREFIX);

    /** One element of a property name as written: {@code text}, or {@code [text]} when indexed. */
    record Element(String text, boolean indexed) {

        String written() {
            return indexed ? "[" + text + "]" : text;
        }
    }

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    /** Runs before any bean exists, so before {@link GrpcResilienceProperties} is bound. */
    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        try {
            check(environment);
        } catch (InvalidGrpcResiliencePropertyException e) {
            // wrapped like the other checks' failures, which surface through bean creation
            throw new BeanInitializationException(e.getMessage(), e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** @throws InvalidGrpcResiliencePropertyException for the first property that binds to nothing */
    public static void check(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            Object underlying = source.getUnderlyingSource();
            if (underlying instanceof EnumerablePropertySource<?> enumerable
                    && !(underlying instanceof SystemEnvironmentPropertySource)) {
                for (String raw : enumerable.getPropertyNames()) {
                    if (isUnderRoot(raw)) {
                        check(raw, enumerable.getProperty(raw));
                    }
                }
            } else if (source instanceof IterableConfigurationPropertySource iterable) {
                // environment variables: no dots or slashes to lose, Spring's mapped names are exact
                iterable.filter(ROOT::isAncestorOf).stream()
                        .forEach(name -> check(name.toString(), source.getConfigurationProperty(name).getValue()));
            }
        }
    }

    private static boolean isUnderRoot(String raw) {
        try {
            return ROOT.isAncestorOf(ConfigurationPropertyName.adapt(raw, '.'));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Checks one property name as written. */
    static void check(String raw, Object configuredValue) {
        Object value = configuredValue instanceof OriginTrackedValue tracked ? tracked.getValue() : configuredValue;
        List<Element> elements = split(raw);
        Type type = GrpcResilienceProperties.class;
        for (int i = 2; i < elements.size(); i++) {
            Element element = elements.get(i);
            Class<?> rawType = rawClass(type);
            if (Map.class.isAssignableFrom(rawType)) {
                Type valueType = typeArgument(type, 1);
                if (!element.indexed()) {
                    if (CallProperties.class.equals(valueType)) {
                        methodKey(raw, value, elements, i);
                    }
                    dottedKey(raw, value, elements, i, valueType);
                }
                type = valueType;
            } else if (Collection.class.isAssignableFrom(rawType) || rawType.isArray()) {
                if (!element.indexed() || !element.text().matches("\\d+") || i != elements.size() - 1) {
                    notAGroup(raw, value, elements, i);
                }
                return;
            } else if (isBean(rawType)) {
                Map<String, Type> properties = properties(rawType);
                Type next = properties.get(uniform(element.text()));
                if (next == null) {
                    unknown(raw, value, elements, i, properties);
                }
                type = next;
            } else {
                notAGroup(raw, value, elements, i);
            }
        }
    }

    /** An unbracketed key under {@code methods}: Spring splits it at the dots and drops the slash. */
    private static void methodKey(String raw, Object value, List<Element> elements, int i) {
        int end = -1;
        for (int j = i; j < elements.size(); j++) {
            if (elements.get(j).text().contains("/")) {
                end = j;
                break;
            }
        }
        if (end < 0) {
            Map<String, Type> call = properties(CallProperties.class);
            end = i;
            for (int j = i + 1; j < elements.size() && !call.containsKey(uniform(elements.get(j).text())); j++) {
                end = j;
            }
        }
        String key = join(elements.subList(i, end + 1), true);
        String prefix = join(elements.subList(0, i), false);
        String rest = end + 1 < elements.size() ? "." + join(elements.subList(end + 1, elements.size()), false) : "";
        if (MethodName.parse(key).isEmpty()) {
            // the same report as for a bracketed key that names no method (ServiceConfigValidator)
            throw new InvalidGrpcResiliencePropertyException(prefix + "." + key, key,
                    "a method key must be package.Service/Method or package.Service/* (Spring drops dots "
                            + "and slashes from map keys that are not in brackets)",
                    "Write the key in quotes and brackets, e.g. " + prefix
                            + ".\"[control.ControlPlane/GetConfig]\".retry.enabled=false.");
        }
        throw new InvalidGrpcResiliencePropertyException(raw, value,
                "a method key must be in brackets: Spring splits " + key
                        + " at its dots and drops its slash, so the entry configures no method",
                "Write the key in quotes and brackets: \"[" + key + "]\" under methods in YAML, " + prefix + "["
                        + key + "]" + rest + " in a properties file.");
    }

    /** An unbracketed map key with dots: the next element is no property, a later one is. */
    private static void dottedKey(String raw, Object value, List<Element> elements, int i, Type valueType) {
        if (!isBean(rawClass(valueType)) || i + 1 >= elements.size()) {
            return;
        }
        Map<String, Type> properties = properties(rawClass(valueType));
        String next = uniform(elements.get(i + 1).text());
        if (properties.containsKey(next) || closest(next, properties) != null) {
            return; // a property of the entry, or a misspelt one: reported as unknown
        }
        for (int j = i + 2; j < elements.size(); j++) {
            if (!elements.get(j).indexed() && properties.containsKey(uniform(elements.get(j).text()))) {
                String key = join(elements.subList(i, j), true);
                String prefix = join(elements.subList(0, i), false);
                String map = elements.get(i - 1).text();
                String rest = join(elements.subList(j, elements.size()), false);
                throw new InvalidGrpcResiliencePropertyException(raw, value,
                        "a name with dots must be in brackets: Spring splits " + key
                                + " at its dots, so the entry is ignored",
                        "Write the name in quotes and brackets: \"[" + key + "]\" under " + map + " in YAML, "
                                + prefix + "[" + key + "]." + rest + " in a properties file.");
            }
        }
    }

    private static void unknown(String raw, Object value, List<Element> elements, int i,
            Map<String, Type> properties) {
        String best = closest(uniform(elements.get(i).text()), properties);
        String parent = join(elements.subList(0, i), false);
        String action;
        if (best != null) {
            List<Element> fixed = new ArrayList<>(elements);
            fixed.set(i, new Element(dashed(best), false));
            action = "Did you mean " + join(fixed, false) + "?";
        } else {
            action = "Remove it, or use one of the properties under " + parent + ": "
                    + properties.keySet().stream().map(PropertyNamesCheck::dashed)
                            .collect(Collectors.joining(", ")) + ".";
        }
        throw new InvalidGrpcResiliencePropertyException(raw, value, "unknown property", action);
    }

    /** The property closest to a name as written, if it is close enough to be a misspelling of it. */
    private static String closest(String written, Map<String, Type> properties) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : properties.keySet()) {
            int distance = distance(written, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, written.length() / 3) ? best : null;
    }

    private static void notAGroup(String raw, Object value, List<Element> elements, int i) {
        String leaf = join(elements.subList(0, i), false);
        throw new InvalidGrpcResiliencePropertyException(raw, value, "unknown property",
                "Remove it: " + leaf + " is a value, not a group of properties.");
    }

    /** The properties of each bean, by uniform name (lower case, letters and digits). */
    private static final Map<Class<?>, Map<String, Type>> PROPERTIES = new java.util.concurrent.ConcurrentHashMap<>();
    /** The dashed name of each uniform name, for messages. */
    private static final Map<String, String> DASHED = new java.util.concurrent.ConcurrentHashMap<>();

    static Map<String, Type> properties(Class<?> bean) {
        return PROPERTIES.computeIfAbsent(bean, type -> {
            Map<String, Type> properties = new LinkedHashMap<>();
            try {
                for (PropertyDescriptor descriptor : Introspector.getBeanInfo(type, Object.class)
                        .getPropertyDescriptors()) {
                    Method getter = descriptor.getReadMethod();
                    if (getter == null) {
                        continue;
                    }
                    String uniform = uniform(descriptor.getName());
                    properties.put(uniform, getter.getGenericReturnType());
                    DASHED.put(uniform, descriptor.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                            .toLowerCase(Locale.ROOT));
                }
            } catch (IntrospectionException e) {
                throw new IllegalStateException(e);
            }
            return properties;
        });
    }

    private static String dashed(String uniform) {
        return DASHED.getOrDefault(uniform, uniform);
    }

    private static boolean isBean(Class<?> type) {
        return type.getName().startsWith("io.github.grpcresilience.") && !type.isEnum() && !type.isPrimitive();
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    static String uniform(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Splits a name as written at its dots, keeping bracketed elements whole, as Spring reads it. */
    static List<Element> split(String raw) {
        List<Element> elements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '[') {
                if (current.length() > 0) {
                    elements.add(new Element(current.toString(), false));
                    current.setLength(0);
                }
                int close = raw.indexOf(']', i);
                close = close < 0 ? raw.length() : close;
                elements.add(new Element(raw.substring(i + 1, close), true));
                i = close + 1;
            } else if (c == '"') {
                i++; // the README's methods."[pkg.Service/Method]" written in a properties file: Spring drops quotes
            } else if (c == '.') {
                if (current.length() > 0) {
                    elements.add(new Element(current.toString(), false));
                    current.setLength(0);
                }
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        if (current.length() > 0) {
            elements.add(new Element(current.toString(), false));
        }
        return elements;
    }

    /** Joins elements as written ({@code a.b[c].d}); {@code plain} joins their texts with dots. */
    private static String join(List<Element> elements, boolean plain) {
        StringBuilder joined = new StringBuilder();
        for (Element element : elements) {
            if (plain) {
                joined.append(joined.length() > 0 ? "." : "").append(element.text());
            } else if (element.indexed()) {
                joined.append(element.written());
            } else {
                joined.append(joined.length() > 0 ? "." : "").append(element.text());
            }
        }
        return joined.toString();
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
