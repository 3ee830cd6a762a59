package io.github.grpcresilience.benchmarks.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The numbers of one run for one client, each as the table cell that reports it. */
final class Measurements {

    /** A pod listed in DNS less than this long ago is new (cold: its JVM has just started). */
    static final long NEW_POD_MILLIS = 10_000;

    /** A pod listed in DNS for a whole second is starved when it answers less than this share of an even split. */
    static final double STARVED = 0.5;

    private final Timeline timeline;
    private final ClientRecord client;

    Measurements(Timeline timeline, ClientRecord client) {
        this.timeline = timeline;
        this.client = client;
    }

    /** Seconds from each new pod's DNS listing to its first answered call; the slowest decides. */
    String scaleOutUntilEveryPodServes() {
        List<String> seconds = new ArrayList<>();
        double slowest = 0;
        int serving = 0;
        for (String pod : timeline.addedPods()) {
            Long first = client.firstAnswer(pod);
            if (first == null || first > timeline.scaleOut().to()) {
                seconds.add("–");
                continue;
            }
            double after = (first - timeline.published(pod)) / 1000.0;
            seconds.add(String.format("%.1f", after));
            slowest = Math.max(slowest, after);
            serving++;
        }
        String perPod = " (" + String.join(", ", seconds) + ")";
        if (serving < timeline.addedPods().size()) {
            long observed = (timeline.scaleOut().to() - lastPublished()) / 1000;
            return serving + " of " + timeline.addedPods().size() + " new pods within " + observed
                    + " s of the last listing" + perPod;
        }
        return String.format("%.1f s", slowest) + perPod;
    }

    /** Each listed pod's share of the calls answered in the minute after the last new pod was listed. */
    String scaleOutShares() {
        long from = lastPublished() / 1000 + 1;
        long to = from + Simulation.SHARE_WINDOW.toSeconds();
        Map<String, Long> perPod = new TreeMap<>();
        for (String pod : timeline.listedThroughout(from * 1000, to * 1000)) {
            perPod.put(pod, 0L);
        }
        for (long second = from; second < to; second++) {
            client.answered(second).forEach((pod, count) -> perPod.merge(pod, count, Long::sum));
        }
        long total = perPod.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "no calls answered";
        }
        return perPod.values().stream().map(count -> String.valueOf(Math.round(100.0 * count / total)))
                .collect(Collectors.joining(" / ")) + " % (even: " + Math.round(100.0 / perPod.size()) + " %)";
    }

    /** Failed calls in the minute of {@link #scaleOutShares}, in which no pod stops. */
    String failedCallsInShareWindow() {
        long from = (lastPublished() / 1000 + 1) * 1000;
        return failedCalls(new Timeline.Window(from, from + Simulation.SHARE_WINDOW.toMillis()));
    }

    String failedCalls(Timeline.Window window) {
        Map<String, Long> failures = client.failures(window.from(), window.to());
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        String of = failed + " of " + client.calls(window.from(), window.to());
        return failures.isEmpty() ? of : of + " " + failures.toString().replace('=', ' ') + "; " + unanswered(window);
    }

    /**
     * Attempts sent but not answered in the window, by what their pod was at that second: listed
     * less than {@link #NEW_POD_MILLIS} ago, already out of DNS (terminating or lost), or neither.
     */
    private String unanswered(Timeline.Window window) {
        long fresh = 0;
        long leaving = 0;
        long steady = 0;
        for (long second = window.from() / 1000; second < window.to() / 1000; second++) {
            Map<String, Long> answered = client.answered(second);
            for (Map.Entry<String, Long> sent : client.sent(second).entrySet()) {
                long missing = sent.getValue() - answered.getOrDefault(sent.getKey(), 0L);
                if (missing <= 0) {
                    continue;
                }
                ServiceDns.Listing listing = timeline.listing(sent.getKey());
                if (listing.unpublished() >= 0 && listing.unpublished() < second * 1000 + 1000) {
                    leaving += missing;
                } else if (second * 1000 - listing.published() < NEW_POD_MILLIS) {
                    fresh += missing;
                } else {
                    steady += missing;
                }
            }
        }
        return String.format("unanswered attempts on pods listed < %d s: %d, out of DNS: %d, others: %d",
                NEW_POD_MILLIS / 1000, fresh, leaving, steady);
    }

    /**
     * Seconds of the rolling update (from the first new pod to its settled end) in which a pod
     * listed in DNS for the whole second answered less than half an even share of that second's calls.
     */
    String imbalancedSeconds() {
        Timeline.Window window = timeline.rolling();
        int imbalanced = 0;
        long seconds = 0;
        for (long second = window.from() / 1000 + 1; second < window.to() / 1000; second++, seconds++) {
            List<String> listed = timeline.listedThroughout(second * 1000, second * 1000 + 999);
            Map<String, Long> answered = client.answered(second);
            long total = answered.values().stream().mapToLong(Long::longValue).sum();
            double even = (double) total / Math.max(1, listed.size());
            if (listed.stream().anyMatch(pod -> answered.getOrDefault(pod, 0L) < STARVED * even)) {
                imbalanced++;
            }
        }
        return imbalanced + " of " + seconds + " s";
    }

    /**
     * Where the long-lived streams are when the update has settled, the longest a stream stayed on
     * a pod after that pod's SIGTERM, and the longest a stream was without a pod.
     */
    String streamsAfterUpdate() {
        long end = timeline.rolling().to();
        long from = timeline.rolling().from();
        int total = client.streams().size();
        int onLivePods = 0;
        long longestOnTerminating = 0;
        long longestWithout = 0;
        for (List<ClientRecord.StreamSpan> spans : client.streams().values()) {
            String podAtEnd = null;
            long previousOff = -1;
            for (ClientRecord.StreamSpan span : spans) {
                if (span.on() <= end && (span.off() < 0 || span.off() > end)) {
                    podAtEnd = span.pod();
                }
                Long sigterm = timeline.sigterms().get(span.pod());
                if (sigterm != null && span.on() < end) {
                    long left = span.off() < 0 ? end : Math.min(span.off(), end);
                    longestOnTerminating = Math.max(longestOnTerminating, left - sigterm);
                }
                if (previousOff >= from && span.on() <= end) {
                    longestWithout = Math.max(longestWithout, span.on() - previousOff);
                }
                previousOff = span.off();
            }
            if (previousOff >= from && previousOff < end) {
                longestWithout = Math.max(longestWithout, end - previousOff);
            }
            if (podAtEnd != null && timeline.listedAt(podAtEnd, end)) {
                onLivePods++;
            }
        }
        return String.format("%d of %d on live pods; longest on a pod after its SIGTERM %.1f s; "
                + "longest without a pod %.1f s", onLivePods, total, longestOnTerminating / 1000.0,
                longestWithout / 1000.0);
    }

    /** When the last call was sent to the black-holed pod, from the black hole on. */
    String nodeLossUntilNoCallSent() {
        Timeline.NodeLoss loss = timeline.nodeLoss();
        long lastSecond = -1;
        for (long second = loss.window().from() / 1000; second <= loss.killed() / 1000; second++) {
            if (client.sent(second).getOrDefault(loss.pod(), 0L) > 0) {
                lastSecond = second;
            }
        }
        Long last = client.lastSent(loss.pod());
        String dnsNote = String.format(" (out of DNS at %.0f s)",
                (loss.unpublished() - loss.window().from()) / 1000.0);
        if (lastSecond < 0 || last == null || last < loss.window().from()) {
            return "none sent" + dnsNote;
        }
        if (lastSecond >= loss.killed() / 1000 - 1) {
            return String.format("still sent when the pod was killed at %.0f s",
                    (loss.killed() - loss.window().from()) / 1000.0) + dnsNote;
        }
        return String.format("%.1f s", (Math.min(last, (lastSecond + 1) * 1000) - loss.window().from()) / 1000.0)
                + dnsNote;
    }

    /** Streams still on the black-holed pod when it was killed. */
    String streamsOnLostNode() {
        Timeline.NodeLoss loss = timeline.nodeLoss();
        long stuck = client.streams().values().stream().filter(spans -> spans.stream().anyMatch(span ->
                span.pod().equals(loss.pod()) && span.on() < loss.killed()
                        && (span.off() < 0 || span.off() >= loss.killed()))).count();
        return stuck + " of " + client.streams().size() + " streams still on it when it was killed";
    }

    private long lastPublished() {
        return timeline.addedPods().stream().mapToLong(timeline::published).max().orElseThrow();
    }
}
