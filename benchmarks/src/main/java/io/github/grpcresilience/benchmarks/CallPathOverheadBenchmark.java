package io.github.grpcresilience.benchmarks;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Overhead of the starter on the call path (its failure interceptor, channel factory, transport
 * hook): unary calls and bidi-stream round trips through a net.devh channel, plain vs the
 * starter, same JMH run and JVM settings, against an echo server in the same JVM on loopback.
 */
@State(Scope.Benchmark)
public class CallPathOverheadBenchmark {

    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setRequestMessage("ping").build();

    @Param({"plain-net.devh", "starter"})
    public String client;

    private Server server;
    private ConfigurableApplicationContext context;
    private SimpleServiceGrpc.SimpleServiceBlockingStub blocking;
    private SimpleServiceGrpc.SimpleServiceStub async;

    /** Echoes unary requests and every message of a bidi stream. */
    static final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
            responses.onCompleted();
        }

        @Override
        public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SimpleRequest request) {
                    responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new EchoService())
                .build().start();
        context = client.equals("starter") ? ClientContexts.withStarter(server.getPort())
                : ClientContexts.plainNetDevh(server.getPort());
        GrpcChannelFactory channels = context.getBean(GrpcChannelFactory.class);
        blocking = SimpleServiceGrpc.newBlockingStub(channels.createChannel("echo"));
        async = SimpleServiceGrpc.newStub(channels.createChannel("echo"));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        context.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One bidi stream per benchmark thread; each operation is one message there and back. */
    @State(Scope.Thread)
    public static class Stream {
        private final BlockingQueue<SimpleResponse> responses = new ArrayBlockingQueue<>(1);
        private StreamObserver<SimpleRequest> requests;

        @Setup(Level.Trial)
        public void open(CallPathOverheadBenchmark benchmark) {
            requests = benchmark.async.bidiStreamingRpc(new StreamObserver<>() {
                @Override
                public void onNext(SimpleResponse response) {
                    responses.add(response);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
        }

        @TearDown(Level.Trial)
        public void close() {
            requests.onCompleted();
        }
    }

    @Benchmark
    public SimpleResponse unary() {
        return blocking.unaryRpc(REQUEST);
    }

    @Benchmark
    public SimpleResponse streamRoundTrip(Stream stream) throws InterruptedException {
        stream.requests.onNext(REQUEST);
        return stream.responses.take();
    }

    static void main(String[] args) throws Exception {
        Options throughput = new OptionsBuilder().include(CallPathOverheadBenchmark.class.getName())
                .mode(org.openjdk.jmh.annotations.Mode.Throughput).timeUnit(TimeUnit.SECONDS)
                .warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
                .threads(1).forks(3).jvmArgs("-Xms1g", "-Xmx1g").build();
        Collection<RunResult> rates = new Runner(throughput).run();
        Options latency = new OptionsBuilder().parent(throughput)
                .mode(org.openjdk.jmh.annotations.Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS).build();
        Collection<RunResult> latencies = new Runner(latency).run();

        Map<String, double[]> rows = new TreeMap<>();
        for (RunResult result : rates) {
            rows.computeIfAbsent(key(result), k -> new double[3])[0] = result.getPrimaryResult().getScore();
            rows.get(key(result))[1] = result.getPrimaryResult().getScoreError();
        }
        for (RunResult result : latencies) {
            rows.computeIfAbsent(key(result), k -> new double[3])[2] =
                    result.getPrimaryResult().getStatistics().getPercentile(99);
        }
        StringBuilder out = new StringBuilder("### Call-path overhead (JMH, 1 thread, 3 forks, 3x2 s warm-up, 5x2 s per fork)\n\n"
                + "| benchmark | client | throughput ops/s (± 99.9% CI) | p99 µs |\n|---|---|---|---|\n");
        rows.forEach((key, values) -> out.append(String.format(Locale.ROOT, "| %s | %.0f ± %.0f | %.1f |%n",
                key.replace(" ", " | "), values[0], values[1], values[2])));
        for (String benchmark : new String[] {"unary", "streamRoundTrip"}) {
            double[] plain = rows.get(benchmark + " plain-net.devh");
            double[] starter = rows.get(benchmark + " starter");
            if (plain != null && starter != null) {
                out.append(String.format(Locale.ROOT, "%n%s: throughput %+.1f %%, p99 %+.1f %% (starter vs plain)%n",
                        benchmark, (starter[0] / plain[0] - 1) * 100, (starter[2] / plain[2] - 1) * 100));
            }
        }
        System.out.println(out);
        Path file = Path.of("target", "overhead.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println("written to " + file.toAbsolutePath());
    }

    private static String key(RunResult result) {
        String method = result.getParams().getBenchmark();
        return method.substring(method.lastIndexOf('.') + 1) + " " + result.getParams().getParam("client");
    }
}
