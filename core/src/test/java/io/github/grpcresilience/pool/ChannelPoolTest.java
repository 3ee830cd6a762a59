package io.github.grpcresilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against a real Netty server on loopback that lets each connection run at most
 * {@value #STREAMS_PER_CONNECTION} calls at once, as {@code MAX_CONCURRENT_STREAMS} does. Periodic
 * resizes are an hour apart, so every resize a test expects is one it makes ({@link
 * ChannelPool#resize()}, the pool's "tick") or one the pool brings forward because of load; the
 * refresh age is read from a clock the test moves.
 */
class ChannelPoolTest {

    private static final int STREAMS_PER_CONNECTION = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NEVER = Duration.ofHours(1);

    private final HoldingService service = new HoldingService();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private Server server;
    private FaultInjectingProxy proxy;

    @BeforeEach
    void startServer() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(STREAMS_PER_CONNECTION).addService(service).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        service.release();
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        if (proxy != null) {
            proxy.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void fiftyLongCallsRunTogetherOnAPoolThatGrewToFive() {
        ChannelPool pool = pool(settings(1, 5, 9, 0, null), this::direct);

        List<ListenableFuture<SimpleResponse>> calls = holdInWavesOfTen(pool, 5);

        assertThat(service.held()).isEqualTo(50);
        assertThat(pool.size()).isEqualTo(5);
        assertThat(pool.members()).extracting(ChannelPool.MemberView::inFlight).containsOnly(10);
        assertThat(events).as("each resize brought forward by the call that took the average above 9")
                .containsExactly("resized 1 -> 2", "resized 2 -> 3", "resized 3 -> 4", "resized 4 -> 5");
        pool.resize();
        assertThat(events).as("50 calls are more than 5 members should carry").endsWith("saturated at 5 (peak 50)");
        service.release();
        await().atMost(WAIT).until(() -> calls.stream().allMatch(ListenableFuture::isDone));
        assertThat(calls).allSatisfy(call -> assertThat(Futures.getUnchecked(call).getResponseMessage()).isEqualTo("released"));
        assertThat(pool.inFlight()).isZero();
        pool.resize(); // the interval of the release still peaked at 50
        pool.resize();
        assertThat(events).endsWith("no longer saturated at 5 (peak 0)");
    }

    @Test
    void oneChannelRunsOnlyTenOfThemAndQueuesTheRest() {
        ManagedChannel single = direct();
        holdInWavesOfTen(single, 1);
        List<ListenableFuture<SimpleResponse>> queued = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queued.add(hold(single));
        }

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> service.held() == STREAMS_PER_CONNECTION);
        assertThat(queued).noneMatch(ListenableFuture::isDone);
    }

    @Test
    void theSizeFollowsThePeakLoadOfEachIntervalUpAndDownOneStepAtATime() {
        ChannelPool pool = pool(settings(1, 5, 9, 3, null), this::direct);
        List<ListenableFuture<SimpleResponse>> calls = holdInWavesOfTen(pool, 3);
        assertThat(pool.size()).isEqualTo(4);

        pool.resize();
        assertThat(pool.size()).as("30 calls need 4 members").isEqualTo(4);

        calls.subList(0, 28).forEach(call -> call.cancel(true));
        await().atMost(WAIT).until(() -> pool.inFlight() == 2);
        pool.resize();
        assertThat(pool.size()).as("the interval's peak was still 30").isEqualTo(4);
        pool.resize();
        assertThat(pool.size()).as("2 calls are below 3 per member; one step is 2").isEqualTo(2);
        pool.resize();
        assertThat(pool.size()).isEqualTo(1);
        pool.resize();
        assertThat(pool.size()).as("never below the minimum").isEqualTo(1);
        assertThat(events).containsExactly("resized 1 -> 2", "resized 2 -> 3", "resized 3 -> 4", "resized 4 -> 2",
                "resized 2 -> 1");
    }

    @Test
    void shrinkingWaitsForTheCallsOfARemovedMember() throws Exception {
        ChannelPool pool = pool(settings(1, 3, 9, 5, null), this::direct);
        List<ListenableFuture<SimpleResponse>> first = holdInWavesOfTen(pool, 1); // member 0: 10 calls
        for (int i = 0; i < 9; i++) {
            first.add(hold(pool)); // member 1: 9 calls; the 19th call grows the pool to 3
        }
        await().atMost(WAIT).until(() -> service.held() == 19 && pool.size() == 3);
        ListenableFuture<SimpleResponse> onThird = hold(pool);
        await().atMost(WAIT).until(() -> service.held() == 20);
        ListenableFuture<SimpleResponse> onSecond = first.remove(18);
        first.forEach(call -> call.cancel(true));
        await().atMost(WAIT).until(() -> pool.inFlight() == 2);

        pool.resize();
        pool.resize();

        assertThat(pool.size()).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.members()).filteredOn(ChannelPool.MemberView::retired)
                .as("the removed member with a running call is still there, and connected")
                .singleElement().satisfies(member -> {
                    assertThat(member.id()).isEqualTo(2);
                    assertThat(member.inFlight()).isEqualTo(1);
                    assertThat(member.state()).isEqualTo(ConnectivityState.READY);
                }));
        hold(pool);
        await().atMost(WAIT).until(() -> service.held() == 21);
        assertThat(pool.members().get(0).inFlight()).as("new calls take the member that stays").isEqualTo(2);

        service.release();
        assertThat(onSecond.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
        assertThat(onThird.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
        await().atMost(WAIT).until(() -> pool.members().size() == 1);
    }

    @Test
    void aMemberWhoseConnectionDiesIsReplacedAndThePoolKeepsServing() throws Exception {
        proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort());
        ChannelPool pool = pool(settings(2, 2, 9, 0, null), () -> track(NettyChannelBuilder
                .forAddress("127.0.0.1", proxy.port()).usePlaintext().defaultLoadBalancingPolicy("round_robin")
                .build()));
        pool.getState(true);
        await().atMost(WAIT).until(() -> pool.members().stream().allMatch(m -> m.state() == ConnectivityState.READY));

        proxy.refuseNewConnections(true);
        assertThat(proxy.resetOne()).isTrue();
        await().atMost(WAIT).until(() -> pool.members().stream()
                .anyMatch(m -> m.state() == ConnectivityState.TRANSIENT_FAILURE));
        int dead = pool.members().stream().filter(m -> m.state() == ConnectivityState.TRANSIENT_FAILURE)
                .findFirst().orElseThrow().id();
        assertThat(pool.getState(false)).isEqualTo(ConnectivityState.READY);
        ListenableFuture<SimpleResponse> busy = hold(pool);
        await().atMost(WAIT).until(() -> service.held() == 1);
        for (int i = 0; i < 20; i++) {
            assertThat(echo(pool, "still serving " + i)).isEqualTo("still serving " + i);
        }

        pool.resize();
        assertThat(events).containsExactly("replaced " + dead + " (TRANSIENT_FAILURE)");
        assertThat(pool.members()).extracting(ChannelPool.MemberView::id).doesNotContain(dead);
        proxy.refuseNewConnections(false);
        pool.resetConnectBackoff();
        await().atMost(WAIT).until(() -> pool.members().stream().allMatch(m -> m.state() == ConnectivityState.READY));
        assertThat(pool.size()).isEqualTo(2);
        service.release();
        assertThat(busy.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
    }

    @Test
    void withARefreshIntervalTheOldestMemberIsReplacedOnePerResizeAndDrainedNotCut() throws Exception {
        ChannelPool pool = pool(settings(2, 2, 9, 0, Duration.ofMinutes(30)), this::direct);
        ListenableFuture<SimpleResponse> running = hold(pool);
        await().atMost(WAIT).until(() -> service.held() == 1);
        clock.addAndGet(Duration.ofMinutes(29).toNanos());
        pool.resize();
        assertThat(events).isEmpty();

        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        pool.resize();
        pool.resize();
        assertThat(events).containsExactly("replaced 0 (older than 30m)", "replaced 1 (older than 30m)");
        assertThat(pool.members()).extracting(ChannelPool.MemberView::id).startsWith(2, 3);
        assertThat(running).isNotDone();

        service.release();
        assertThat(running.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
        await().atMost(WAIT).until(() -> pool.members().size() == 2);
        assertThat(echo(pool, "fresh")).isEqualTo("fresh");
    }

    @Test
    void callsAndResizesInParallelLoseNoCallAndLeaveNoCountBehind() throws Exception {
        ChannelPool pool = pool(settings(1, 4, 2, 1, Duration.ofSeconds(1)), this::direct);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(callers.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        if (echo(pool, "call " + i).equals("call " + i)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (int i = 0; i < 200 && !results.stream().allMatch(Future::isDone); i++) {
                clock.addAndGet(Duration.ofSeconds(1).toNanos());
                pool.resize();
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(events).anyMatch(event -> event.startsWith("replaced"));
        assertThat(pool.inFlight()).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.members())
                .allSatisfy(member -> {
                    assertThat(member.inFlight()).isZero();
                    assertThat(member.retired()).isFalse();
                }));
    }

    @Test
    void aMemberThatCannotBeBuiltIsReportedAndThePoolKeepsServingAndTriesAgain() throws Exception {
        AtomicBoolean factoryBroken = new AtomicBoolean();
        ChannelPool pool = pool(settings(1, 3, 1, 0, null), () -> {
            if (factoryBroken.get()) {
                throw new IllegalStateException("no channel today");
            }
            return direct();
        });
        factoryBroken.set(true);
        ListenableFuture<SimpleResponse> first = hold(pool);
        ListenableFuture<SimpleResponse> second = hold(pool); // 2 calls > 1 per member: growth brought forward

        await().atMost(WAIT).until(() -> events.contains("resize failed: no channel today"));
        assertThat(pool.size()).isEqualTo(1);
        assertThat(echo(pool, "still serving")).isEqualTo("still serving");

        factoryBroken.set(false);
        pool.resize();
        assertThat(pool.size()).as("grown for the peak of 2 or 3 calls").isBetween(2, 3);
        service.release();
        assertThat(first.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
        assertThat(second.get(10, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("released");
    }

    @Test
    void theStateIsTheBestOfTheMembersAndWatchersHearOfChanges() throws Exception {
        ChannelPool pool = pool(settings(2, 2, 9, 0, null), this::direct);
        assertThat(pool.getState(false)).isEqualTo(ConnectivityState.IDLE);
        CountDownLatch changed = new CountDownLatch(1);
        pool.notifyWhenStateChanged(ConnectivityState.IDLE, changed::countDown);

        pool.getState(true);

        assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> pool.getState(false) == ConnectivityState.READY);
        pool.shutdown();
        assertThat(pool.getState(false)).isEqualTo(ConnectivityState.SHUTDOWN);
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(channels).allMatch(ManagedChannel::isTerminated);
    }

    @Test
    void watchersHearOfTheShutdownEvenWhenTheSchedulerStopsRightAfterThePool() throws Exception {
        ChannelPool pool = pool(settings(1, 1, 9, 0, null), this::direct);
        AtomicReference<ConnectivityState> heard = new AtomicReference<>();
        pool.notifyWhenStateChanged(pool.getState(false), () -> heard.set(pool.getState(false)));
        CountDownLatch busy = new CountDownLatch(1);
        scheduler.execute(() -> {
            busy.countDown();
            try {
                Thread.sleep(WAIT.toMillis()); // holds the scheduler until shutdownNow interrupts it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

        pool.shutdown();
        scheduler.shutdownNow(); // as Spring stops the scheduler bean right after the pools

        assertThat(heard).as("the registry, metrics and health learn the channel is gone")
                .hasValue(ConnectivityState.SHUTDOWN);
    }

    @Test
    void aCallCancelledBeforeItStartsCannotStartAndCountsNothing() {
        ChannelPool pool = pool(settings(1, 1, 9, 0, null), this::direct);
        ClientCall<SimpleRequest, SimpleResponse> call = pool.newCall(SimpleServiceGrpc.getUnaryRpcMethod(),
                CallOptions.DEFAULT);
        call.cancel("not needed", null);

        assertThatIllegalStateException().isThrownBy(() -> call.start(new ClientCall.Listener<>() { },
                new Metadata()));
        assertThat(pool.inFlight()).isZero();
    }

    /**
     * Starts {@code waves} waves of ten held calls, each once the server holds the one before and
     * the pool has finished any resize it brought forward.
     */
    private List<ListenableFuture<SimpleResponse>> holdInWavesOfTen(ManagedChannel channel, int waves) {
        List<ListenableFuture<SimpleResponse>> calls = new ArrayList<>();
        for (int wave = 1; wave <= waves; wave++) {
            for (int i = 0; i < 10; i++) {
                calls.add(hold(channel));
            }
            int expected = wave * 10;
            await().atMost(WAIT).until(() -> service.held() == expected);
            if (channel instanceof ChannelPool pool) {
                await().atMost(WAIT).until(() -> pool.size() >= Math.min(pool.settings().maxSize(),
                        (expected + pool.settings().maxCallsPerConnection() - 1)
                                / pool.settings().maxCallsPerConnection()));
            }
        }
        return calls;
    }

    private static ListenableFuture<SimpleResponse> hold(ManagedChannel channel) {
        return SimpleServiceGrpc.newFutureStub(channel)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(HoldingService.HOLD).build());
    }

    private static String echo(ManagedChannel channel, String text) {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(text).build()).getResponseMessage();
    }

    private PoolSettings settings(int min, int max, int growAbove, int shrinkBelow, Duration refresh) {
        return new PoolSettings(min, max, growAbove, shrinkBelow, NEVER, 2, refresh);
    }

    private ChannelPool pool(PoolSettings settings, Supplier<ManagedChannel> members) {
        ChannelPool pool = ChannelPool.create(settings, members, scheduler, clock::get, new ChannelPool.Events() {
            @Override
            public void resized(int from, int to, int peakCalls) {
                events.add("resized " + from + " -> " + to);
            }

            @Override
            public void replaced(int memberId, String reason) {
                events.add("replaced " + memberId + " (" + reason + ")");
            }

            @Override
            public void saturated(boolean saturated, int size, int peakCalls) {
                events.add((saturated ? "saturated at " : "no longer saturated at ") + size + " (peak " + peakCalls + ")");
            }

            @Override
            public void resizeFailed(RuntimeException failure) {
                events.add("resize failed: " + failure.getMessage());
            }
        });
        channels.add(pool);
        return pool;
    }

    private ManagedChannel direct() {
        return track(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build());
    }

    private ManagedChannel track(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }
}
