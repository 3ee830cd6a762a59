package io.github.grpcresilience.autoconfigure.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.grpc.Channel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import com.google.common.util.concurrent.ListenableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A backend whose connection closes with FIN (what a crashed server's kernel sends) while calls
 * are starting, round_robin over two backends. Each cycle: nothing is in flight; the victim's
 * proxy stops passing requests on (so no request sent from now on is executed, as with a dead
 * process); a burst of calls starts, and the victim's connection gets FIN in the middle of it.
 *
 * <p>With the starter, a call that starts as the connection closes is retried on the other
 * backend and no call fails; every call is executed exactly once (server-side count). Without
 * the starter's transport hook, grpc-java fails such a call {@code UNKNOWN: channel closed},
 * though no byte of it left the client.
 */
class ConnectionClosedByPeerTest {

    private static final int CYCLES = 40;
    /** Without the hook about one cycle in ten hits the window (measured); stops at the first. */
    private static final int CYCLES_TO_REPRODUCE = 150;
    private static final int BURST_THREADS = 4;
    private static final int CALLS_PER_THREAD = 50;

    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final List<CountingBackend> backends = new ArrayList<>();
    private final List<FaultInjectingProxy> proxies = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ExecutorService burst = Executors.newFixedThreadPool(BURST_THREADS);
    private final List<Runnable> eventLoops = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 2; i++) {
            CountingBackend backend = new CountingBackend(executions);
            backends.add(backend);
            proxies.add(FaultInjectingProxy.start("127.0.0.1", backend.port()));
        }
    }

    @AfterEach
    void stop() {
        burst.shutdownNow();
        eventLoops.forEach(Runnable::run);
        proxies.forEach(FaultInjectingProxy::close);
        backends.forEach(CountingBackend::close);
    }

    private ApplicationContextRunner client() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.backend.address=static://127.0.0.1:" + proxies.get(0).port()
                                + ",127.0.0.1:" + proxies.get(1).port(),
                        "grpc.client.backend.negotiation-type=plaintext",
                        "grpc.client.backend.shutdown-grace-period=0s");
    }

    /**
     * The crash cycles black-hole dozens of calls each, which fail together at FIN; their retries
     * must not be throttled, or the tests would measure throttling, not the window.
     */
    private ApplicationContextRunner unthrottledClient() {
        return client().withPropertyValues("grpc.resilience.client.defaults.retry-throttling.enabled=false");
    }

    @Test
    void withTheStarterACallStartingAsTheConnectionClosesIsRetriedAndRunsOnce() {
        oneEventLoop(unthrottledClient(), true).run(context -> {
            Channel channel = NetDevhTesting.channel(context, "backend");
            List<Status> failures = new ArrayList<>();
            int calls = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                calls += crashCycle(channel, cycle % 2, failures);
            }
            assertThat(failures).as("failed calls of %s", calls).isEmpty();
            assertThat(executions).hasSize(ids.get());
            assertThat(executions.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        });
    }

    @Test
    void withoutTheStartersTransportHookSuchACallFailsUnknownChannelClosed() {
        oneEventLoop(unthrottledClient(), false).run(context -> {
            Channel channel = NetDevhTesting.channel(context, "backend");
            List<Status> failures = new ArrayList<>();
            for (int cycle = 0; cycle < CYCLES_TO_REPRODUCE && failures.isEmpty(); cycle++) {
                crashCycle(channel, cycle % 2, failures);
            }
            assertThat(failures).as("failures within %s cycles", CYCLES_TO_REPRODUCE).isNotEmpty()
                    .allSatisfy(status -> assertThat(status.toString())
                            .contains("code=UNKNOWN", "description=channel closed"));
        });
    }

    /**
     * A crash fails every call the backend was running at the same moment. With the starter's
     * default retry throttling all of them are retried on the other backend; with gRPC's example
     * bucket of 10 tokens only the first four would be.
     */
    @Test
    void aCrashFailingTwentyCallsAtOnceHasThemAllRetriedUnderTheDefaultThrottling() {
        client().run(context -> {
            Channel channel = NetDevhTesting.channel(context, "backend");
            warmUp(channel);
            proxies.get(0).cut();
            List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
            SimpleServiceGrpc.SimpleServiceFutureStub async = SimpleServiceGrpc.newFutureStub(channel);
            for (int i = 0; i < 40; i++) {
                calls.add(async.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(request()));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> calls.stream().filter(java.util.concurrent.Future::isDone).count() == 20);
            assertThat(proxies.get(0).finCut()).isEqualTo(1);
            List<Status> failures = new ArrayList<>();
            for (ListenableFuture<SimpleResponse> call : calls) {
                try {
                    call.get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(Status.fromThrowable(e.getCause()));
                }
            }
            assertThat(failures).as("calls failed of the 20 the crash caught").isEmpty();
        });
    }

    @Test
    void aCallTheServerHadBegunToAnswerIsNotRetriedWhenItsConnectionCloses() {
        oneEventLoop(client(), true).run(context -> {
            Channel channel = NetDevhTesting.channel(context, "backend");
            assertThat(diesWhileWorking(channel, true).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(executions.values()).singleElement().satisfies(count -> assertThat(count).hasValue(1));
        });
    }

    @Test
    void withoutARetryPolicyACallTheServerReceivedIsNeverRetriedTransparently() {
        oneEventLoop(client().withPropertyValues("grpc.resilience.client.defaults.retry.enabled=false"), true)
                .run(context -> {
                    Channel channel = NetDevhTesting.channel(context, "backend");
                    assertThat(diesWhileWorking(channel, false).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(executions.values()).singleElement()
                            .satisfies(count -> assertThat(count).hasValue(1));
                });
    }

    /**
     * Both backends hold their calls; one call is made; once a backend executed it, that backend's
     * connection closes with FIN and the other backend answers from then on, so a retry would
     * succeed there. Returns the call's status.
     */
    private Status diesWhileWorking(Channel channel, boolean headersFirst) throws Exception {
        warmUp(channel);
        executions.clear();
        for (CountingBackend backend : backends) {
            backend.hold = true;
            backend.headersFirst = headersFirst;
        }
        int servedByFirst = backends.get(0).served.get();
        ListenableFuture<SimpleResponse> call =
                SimpleServiceGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(request());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !executions.isEmpty());
        int victim = backends.get(0).served.get() > servedByFirst ? 0 : 1;
        backends.get(1 - victim).hold = false;
        proxies.get(victim).cut();
        assertThat(proxies.get(victim).finCut()).isEqualTo(1);
        try {
            call.get(15, TimeUnit.SECONDS);
            return Status.OK;
        } catch (java.util.concurrent.ExecutionException e) {
            return Status.fromThrowable(e.getCause());
        }
    }

    /** Calls until both backends have served one: both connections are READY. */
    private void warmUp(Channel channel) {
        SimpleServiceGrpc.SimpleServiceBlockingStub blocking = SimpleServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < 100 && backends.stream().anyMatch(backend -> backend.served.get() == 0); i++) {
            blocking.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(request());
        }
        assertThat(backends).allSatisfy(backend -> assertThat(backend.served).hasPositiveValue());
    }

    /**
     * The user's channel configurer, which net.devh runs after the starter's: puts every
     * connection of the channel on one event loop thread of the socket type the starter's hook
     * picked, the same in both tests. With {@code keepHook} false it also replaces the hook's channel factory (and with it the close
     * handler) with grpc-java's plain one; everything else of the starter stays.
     */
    private ApplicationContextRunner oneEventLoop(ApplicationContextRunner runner, boolean keepHook) {
        return NetDevhTesting.withUserChannelConfigurer(runner, "oneEventLoop", new OneEventLoop(keepHook));
    }

    private final class OneEventLoop implements BiConsumer<String, ManagedChannelBuilder<?>> {
        private final boolean keepHook;

        OneEventLoop(boolean keepHook) {
            this.keepHook = keepHook;
        }

        @Override
        public void accept(String name, ManagedChannelBuilder<?> builder) {
            if (builder instanceof io.grpc.netty.NettyChannelBuilder netty) {
                boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
                io.netty.channel.EventLoopGroup group = epoll ? new io.netty.channel.epoll.EpollEventLoopGroup(1)
                        : new io.netty.channel.nio.NioEventLoopGroup(1);
                eventLoops.add(group::shutdownGracefully);
                netty.eventLoopGroup(group);
                if (!keepHook) {
                    netty.channelType(epoll ? io.netty.channel.epoll.EpollSocketChannel.class
                            : io.netty.channel.socket.nio.NioSocketChannel.class);
                }
            } else if (builder instanceof io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder shaded) {
                boolean epoll = io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable();
                io.grpc.netty.shaded.io.netty.channel.EventLoopGroup group = epoll
                        ? new io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup(1)
                        : new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(1);
                eventLoops.add(group::shutdownGracefully);
                shaded.eventLoopGroup(group);
                if (!keepHook) {
                    shaded.channelType(epoll ? io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel.class
                            : io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class);
                }
            } else {
                throw new IllegalStateException("not a Netty builder: " + builder.getClass());
            }
        }
    }

    /** One cycle against backend {@code victim}; adds the failed calls' statuses; returns the calls made. */
    private int crashCycle(Channel channel, int victim, List<Status> failures) throws Exception {
        SimpleServiceGrpc.SimpleServiceBlockingStub blocking = SimpleServiceGrpc.newBlockingStub(channel);
        int warmUp = 0;
        for (int before = backends.get(victim).served.get(); backends.get(victim).served.get() == before
                && warmUp < 100; warmUp++) {
            blocking.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(request());
        }
        assertThat(warmUp).as("calls until the victim served one").isLessThan(100);

        proxies.get(victim).cut();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch quarterIssued = new CountDownLatch(BURST_THREADS);
        List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
        List<java.util.concurrent.Future<List<ListenableFuture<SimpleResponse>>>> issuers = new ArrayList<>();
        SimpleServiceGrpc.SimpleServiceFutureStub async = SimpleServiceGrpc.newFutureStub(channel);
        for (int t = 0; t < BURST_THREADS; t++) {
            issuers.add(burst.submit(() -> {
                List<ListenableFuture<SimpleResponse>> mine = new ArrayList<>();
                started.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    mine.add(async.withDeadlineAfter(10, TimeUnit.SECONDS).unaryRpc(request()));
                    if (i == CALLS_PER_THREAD / 4) {
                        quarterIssued.countDown();
                    }
                }
                return mine;
            }));
        }
        started.countDown();
        assertThat(quarterIssued.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(proxies.get(victim).finCut()).as("connections closed with FIN").isEqualTo(1);
        for (var issuer : issuers) {
            calls.addAll(issuer.get(10, TimeUnit.SECONDS));
        }
        for (ListenableFuture<SimpleResponse> call : calls) {
            try {
                call.get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(Status.fromThrowable(e.getCause()));
            }
        }
        return warmUp + calls.size();
    }

    private SimpleRequest request() {
        return SimpleRequest.newBuilder().setRequestMessage("call-" + ids.incrementAndGet()).build();
    }
}
