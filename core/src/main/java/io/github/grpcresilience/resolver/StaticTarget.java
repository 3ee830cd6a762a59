package io.github.grpcresilience.resolver;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fixed-address targets: {@code static:///h1:p1,h2:p2} (valid RFC 3986: the list is the path, with
 * IPv6 brackets percent-encoded: {@code static:///%5B::1%5D:9090}) and
 * net.devh's documented {@code static://h1:p1,h2:p2}, which grpc-java 1.83+ cannot parse (the
 * list is not a valid host) and which {@link #rfc3986Form} rewrites to the first.
 */
public final class StaticTarget {

    public static final String SCHEME = "static";

    private static final Pattern ENTRY = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+)(?::(\\d{1,5}))?");

    /** One address of the list, as written. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }

        String unbracketedHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }
    }

    private StaticTarget() {
    }

    /** The RFC 3986 form of a net.devh multi-address target, or empty if the target is not one. */
    public static Optional<String> rfc3986Form(String target) {
        String prefix = SCHEME + "://";
        if (target.startsWith(prefix) && !target.startsWith(prefix + "/") && target.indexOf(',') > 0) {
            String list = target.substring(prefix.length()).replace("[", "%5B").replace("]", "%5D");
            return Optional.of(prefix + "/" + list);
        }
        return Optional.empty();
    }

    /** The address list of a {@code static:} target: its authority if it has one, else its path. */
    static String addressList(URI target) {
        String authority = target.getRawAuthority();
        if (authority != null && !authority.isEmpty()) {
            return authority;
        }
        String path = target.getPath();
        return path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
    }

    /**
     * Parses {@code host:port,host:port}; a host without a port gets {@code defaultPort}.
     *
     * @throws IllegalArgumentException naming the first entry that is not {@code host:port}
     */
    public static List<HostPort> parse(String list, int defaultPort) {
        List<HostPort> result = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            Matcher matcher = ENTRY.matcher(entry.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not host:port");
            }
            int port = defaultPort;
            if (matcher.group(2) != null) {
                port = Integer.parseInt(matcher.group(2));
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + entry + "' has no valid port");
            }
            result.add(new HostPort(matcher.group(1), port));
        }
        return result;
    }
}
