package io.github.grpcresilience.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void theSameSeedGivesTheSameFaultsWithinTheIssuesBounds() {
        List<FaultPlan.Fault> first = draw(new FaultPlan(42, 3), 300);
        assertThat(draw(new FaultPlan(42, 3), 300)).isEqualTo(first);
        assertThat(draw(new FaultPlan(43, 3), 300)).isNotEqualTo(first);

        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        for (FaultPlan.Fault fault : first) {
            kinds.add(fault.kind());
            assertThat(fault.pair()).isBetween(1, 3);
            assertThat(fault.gapBefore()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(30));
            if (fault.kind().lasting) {
                assertThat(fault.duration()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(60));
            } else {
                assertThat(fault.duration()).isZero();
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(FaultKind.values());
    }

    @Test
    void tooManyPingsIsDrawnAsAnInstantFaultOnOnePair() {
        List<FaultPlan.Fault> pings = draw(new FaultPlan(42, 3), 300).stream()
                .filter(fault -> fault.kind() == FaultKind.TOO_MANY_PINGS).toList();
        assertThat(pings).isNotEmpty().allSatisfy(fault -> {
            assertThat(fault.duration()).isZero();
            assertThat(fault.describe()).isEqualTo("#" + fault.number() + " too_many_pings on pair " + fault.pair());
        });
    }

    private static List<FaultPlan.Fault> draw(FaultPlan plan, int count) {
        return IntStream.range(0, count).mapToObj(i -> plan.next()).toList();
    }
}
