package io.github.grpcresilience.benchmarks.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One client's {@link TrafficLog}, read back for the numbers. Times in epoch ms, seconds in epoch s. */
final class ClientRecord {

    /** One call of a long-lived stream: on {@code pod} from {@code on} (headers) until {@code off} (or -1). */
    record StreamSpan(int stream, String pod, long on, long off, String code) {
    }

    private final Map<Long, Long> calls = new HashMap<>();
    private final Map<Long, Map<String, Long>> sent = new HashMap<>();
    private final Map<Long, Map<String, Long>> answered = new HashMap<>();
    private final Map<Long, Map<String, Long>> failed = new HashMap<>();
    private final Map<String, Long> firstAnswer = new HashMap<>();
    private final Map<String, Long> lastSent = new HashMap<>();
    private final Map<Integer, List<StreamSpan>> streams = new TreeMap<>();

    static ClientRecord read(Path file) throws IOException {
        ClientRecord record = new ClientRecord();
        List<String[]> streamEvents = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "CALLS" -> record.calls.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                case "SENT" -> put(record.sent, f);
                case "ANSWERED" -> put(record.answered, f);
                case "FAILED" -> put(record.failed, f);
                case "FIRST" -> record.firstAnswer.put(f[1], Long.parseLong(f[2]));
                case "LAST" -> record.lastSent.put(f[1], Long.parseLong(f[2]));
                case "STREAM" -> streamEvents.add(f);
                default -> throw new IllegalStateException("unknown line in " + file + ": " + line);
            }
        }
        streamEvents.sort(Comparator.comparingLong(f -> Long.parseLong(f[4])));
        Map<Integer, String[]> open = new HashMap<>();
        for (String[] f : streamEvents) {
            int id = Integer.parseInt(f[1]);
            List<StreamSpan> spans = record.streams.computeIfAbsent(id, key -> new ArrayList<>());
            if (f[2].equals("ON")) {
                open.put(id, f);
            } else {
                String[] on = open.remove(id);
                if (on != null) {
                    spans.add(new StreamSpan(id, on[3], Long.parseLong(on[4]), Long.parseLong(f[4]), f[5]));
                }
            }
        }
        open.forEach((id, on) -> record.streams.get(id).add(new StreamSpan(id, on[3], Long.parseLong(on[4]), -1, "")));
        return record;
    }

    private static void put(Map<Long, Map<String, Long>> counts, String[] f) {
        counts.computeIfAbsent(Long.parseLong(f[1]), second -> new HashMap<>()).merge(f[2], Long.parseLong(f[3]),
                Long::sum);
    }

    long calls(long fromMillis, long toMillis) {
        long sum = 0;
        for (long second = fromMillis / 1000; second < toMillis / 1000; second++) {
            sum += calls.getOrDefault(second, 0L);
        }
        return sum;
    }

    /** Failed calls started in the window, by status code. */
    Map<String, Long> failures(long fromMillis, long toMillis) {
        Map<String, Long> byCode = new TreeMap<>();
        for (long second = fromMillis / 1000; second < toMillis / 1000; second++) {
            failed.getOrDefault(second, Map.of()).forEach((code, count) -> byCode.merge(code, count, Long::sum));
        }
        return byCode;
    }

    /** Calls each pod answered in the second. */
    Map<String, Long> answered(long second) {
        return answered.getOrDefault(second, Map.of());
    }

    /** Attempts sent to each pod in the second. */
    Map<String, Long> sent(long second) {
        return sent.getOrDefault(second, Map.of());
    }

    Long firstAnswer(String pod) {
        return firstAnswer.get(pod);
    }

    Long lastSent(String pod) {
        return lastSent.get(pod);
    }

    Map<Integer, List<StreamSpan>> streams() {
        return streams;
    }
}
