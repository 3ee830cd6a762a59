package io.github.grpcresilience.serviceconfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which methods a {@link MethodConfig} applies to: one method ({@code package.Service/Method}),
 * every method of a service ({@code package.Service/*}) or every method ({@link #ALL}).
 *
 * @param service the fully qualified service name; empty for every method
 * @param method the method name; empty for every method of the service
 */
public record MethodName(String service, String method) {

    /** Every method of the channel. */
    public static final MethodName ALL = new MethodName("", "");

    private static final Pattern KEY = Pattern.compile("([A-Za-z_][\\w.]*)/(\\*|[A-Za-z_]\\w*)");

    /**
     * Parses {@code package.Service/Method} or {@code package.Service/*}.
     *
     * @return empty if the key has neither form
     */
    public static Optional<MethodName> parse(String key) {
        var matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String method = matcher.group(2);
        return Optional.of(new MethodName(matcher.group(1), method.equals("*") ? "" : method));
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (!service.isEmpty()) {
            map.put("service", service);
        }
        if (!method.isEmpty()) {
            map.put("method", method);
        }
        return map;
    }

    @Override
    public String toString() {
        return service.isEmpty() ? "*" : service + "/" + (method.isEmpty() ? "*" : method);
    }
}
