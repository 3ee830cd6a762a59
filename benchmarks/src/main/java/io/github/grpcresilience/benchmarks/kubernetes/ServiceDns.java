package io.github.grpcresilience.benchmarks.kubernetes;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The headless Service's DNS record: a hosts file (the clients' JVMs read it through
 * {@code -Djdk.net.hosts.file}) that lists one line per published pod address, rewritten
 * atomically whenever the endpoints change, as the endpoints controller and CoreDNS would
 * publish them. Keeps the history, so the benchmark knows which pods were listed when.
 *
 * <p>Thread-safety: publish and unpublish may be called from any thread; the file is rewritten
 * under the lock (file I/O only, no callbacks).
 */
final class ServiceDns {

    /** When one address was listed: from {@code published} until {@code unpublished} (or now). */
    record Listing(String address, long published, long unpublished) {
        boolean listedThroughout(long fromMillis, long toMillis) {
            return published <= fromMillis && (unpublished < 0 || unpublished >= toMillis);
        }

        boolean listedAt(long millis) {
            return listedThroughout(millis, millis);
        }
    }

    private final Path file;
    private final String name;
    @GuardedBy("this")
    private final Set<String> published = new LinkedHashSet<>();
    @GuardedBy("this")
    private final List<Listing> history = new ArrayList<>();

    ServiceDns(Path file, String name) {
        this.file = file;
        this.name = name;
        write(Set.of());
    }

    Path file() {
        return file;
    }

    /** Lists the address (the pod became ready); returns when, in epoch milliseconds. */
    synchronized long publish(String address) {
        published.add(address);
        write(published);
        long now = System.currentTimeMillis();
        history.add(new Listing(address, now, -1));
        return now;
    }

    /** Removes the address (the pod is terminating or its node is lost); returns when. */
    synchronized long unpublish(String address) {
        if (!published.remove(address)) {
            return -1;
        }
        write(published);
        long now = System.currentTimeMillis();
        for (int i = 0; i < history.size(); i++) {
            Listing listing = history.get(i);
            if (listing.address().equals(address) && listing.unpublished() < 0) {
                history.set(i, new Listing(address, listing.published(), now));
            }
        }
        return now;
    }

    synchronized List<Listing> history() {
        return List.copyOf(history);
    }

    private void write(Set<String> addresses) {
        StringBuilder hosts = new StringBuilder("# the headless Service " + name + ": one line per ready pod\n");
        addresses.forEach(address -> hosts.append(address).append(' ').append(name).append('\n'));
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, hosts);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }
}
