package io.github.grpcresilience.benchmarks.kubernetes;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one client saw, per second (epoch seconds) and per pod address: calls started, attempts
 * sent to each pod (from the transport a stream was created on), calls each pod answered, failed
 * calls by status; the first answer from each pod and the last attempt sent to it (epoch ms); and
 * every long-lived stream's life on each pod. Written as lines by {@link #write}, read back by
 * {@link ClientRecord}.
 *
 * <p>Thread-safety: everything is recorded from gRPC's threads into concurrent maps.
 */
final class TrafficLog {

    private final Map<Long, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final Map<String, Long> firstAnswer = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final Queue<String> streamEvents = new ConcurrentLinkedQueue<>();

    /** Call options that record where each attempt of this call goes; {@code pod} receives the last one. */
    CallOptions track(CallOptions options, AtomicReference<String> pod) {
        ClientStreamTracer.Factory factory = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                return new ClientStreamTracer() {
                    @Override
                    public void streamCreated(Attributes transportAttrs, Metadata headers) {
                        String address = address(transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                        pod.set(address);
                        long now = System.currentTimeMillis();
                        count(sent, now / 1000 + " " + address);
                        lastSent.merge(address, now, Math::max);
                    }
                };
            }
        };
        return options.withStreamTracerFactory(factory);
    }

    void started(long millis) {
        calls.computeIfAbsent(millis / 1000, second -> new LongAdder()).increment();
    }

    void answered(long startedMillis, String pod) {
        count(answered, startedMillis / 1000 + " " + pod);
        firstAnswer.putIfAbsent(pod, System.currentTimeMillis());
    }

    void failed(long startedMillis, Status status) {
        count(failed, startedMillis / 1000 + " " + status.getCode());
    }

    /** An interceptor that records, for stream {@code id}, when each of its calls gets a pod's headers and when it ends. */
    ClientInterceptor streamTracker(int id) {
        return new ClientInterceptor() {
            @Override
            public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                    CallOptions options, Channel next) {
                ClientCall<ReqT, RespT> call = next.newCall(method, options);
                return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                    @Override
                    public void start(Listener<RespT> listener, Metadata headers) {
                        AtomicReference<String> pod = new AtomicReference<>("-");
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onHeaders(Metadata responseHeaders) {
                                pod.set(address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
                                streamEvents.add("STREAM " + id + " ON " + pod.get() + " " + System.currentTimeMillis());
                                super.onHeaders(responseHeaders);
                            }

                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                streamEvents.add("STREAM " + id + " OFF " + pod.get() + " " + System.currentTimeMillis()
                                        + " " + status.getCode());
                                super.onClose(status, trailers);
                            }
                        }, headers);
                    }
                };
            }
        };
    }

    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        calls.forEach((second, count) -> lines.add("CALLS " + second + " " + count.sum()));
        sent.forEach((key, count) -> lines.add("SENT " + key + " " + count.sum()));
        answered.forEach((key, count) -> lines.add("ANSWERED " + key + " " + count.sum()));
        failed.forEach((key, count) -> lines.add("FAILED " + key + " " + count.sum()));
        firstAnswer.forEach((pod, millis) -> lines.add("FIRST " + pod + " " + millis));
        lastSent.forEach((pod, millis) -> lines.add("LAST " + pod + " " + millis));
        lines.addAll(streamEvents);
        Files.write(file, lines);
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "-";
    }
}
