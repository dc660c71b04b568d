package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanChecksTest {

    private static final RunRequestParser PARSER = new RunRequestParser(RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS);

    static RunRequest gateAfter(int wave) {
        return PARSER.parse(json("{'targets': [{'key': 'tag-key', 'values': ['Role']}], 'commands': ['uptime'],"
                + " 'approvalAfterWave': " + wave + "}"));
    }

    static WavePlan plan(int nodes) {
        return WavePlanner.plan(WavePlannerTest.ids(nodes), List.of(), Rate.count(50));   // 1, 2, 4, ...
    }

    @Test
    void aGateBeyondTheLastWaveIsAnError() {
        List<FieldError> errors = PlanChecks.checkAgainstPlan(gateAfter(4), plan(7));   // waves 1, 2, 4

        assertEquals(1, errors.size());
        assertEquals("approvalAfterWave", errors.get(0).field());
        assertTrue(errors.get(0).reason().contains("the plan has 3 waves for 7 nodes"), errors.get(0).reason());
        assertTrue(errors.get(0).reason().contains("use 1 to 2, or 0"), errors.get(0).reason());
        assertEquals(errors, RunRequestParser.checkAgainstPlan(gateAfter(4), plan(7)));
    }

    @Test
    void aGateAfterTheLastWaveIsAnErrorSinceTheGateSitsBetweenWaves() {
        List<FieldError> errors = PlanChecks.checkAgainstPlan(gateAfter(3), plan(7));   // waves 1, 2, 4

        assertEquals(1, errors.size(), "the run would end after wave 3 without ever asking");
        assertEquals("approvalAfterWave", errors.get(0).field());
        assertTrue(errors.get(0).reason().contains("the approval gate sits between waves (after wave 3, before the next),"
                + " so it must be below 3; use 1 to 2, or 0"), errors.get(0).reason());
    }

    @Test
    void aGateWithinThePlanOrNoGateIsFine() {
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(gateAfter(2), plan(7)));
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(gateAfter(1), plan(7)));
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(gateAfter(0), plan(1)));
    }

    @Test
    void aOneWavePlanHasNoPlaceForAGateAndSaysSoInTheSingular() {
        for (int gate : new int[] {1, 2}) {
            List<FieldError> errors = PlanChecks.checkAgainstPlan(gateAfter(gate), plan(1));
            assertTrue(errors.get(0).reason().contains("the plan has 1 wave for 1 node"), errors.get(0).reason());
            assertTrue(errors.get(0).reason().contains("use 0 for no approval gate, or give more waves"),
                    errors.get(0).reason());
        }
    }

    @Test
    void aPlanOfMoreWavesThanOneExecutionCanHoldIsAnErrorThatSaysWhatToChange() {
        RunRequest request = PARSER.parse(json("{'targets': [{'key': 'tag-key', 'values': ['Role']}],"
                + " 'commands': ['uptime'], 'maxConcurrency': '1'}"));

        List<FieldError> errors = PlanChecks.checkAgainstPlan(request,
                WavePlanner.plan(WavePlannerTest.ids(PlanChecks.MAX_WAVES + 1), List.of(), Rate.count(1)));

        assertEquals(1, errors.size());
        assertEquals("maxConcurrency", errors.get(0).field());
        assertTrue(errors.get(0).reason().contains("the plan has 501 waves for 501 nodes at a concurrency of 1"),
                errors.get(0).reason());
        assertTrue(errors.get(0).reason().contains("raise maxConcurrency, or give fewer, larger waves"), errors.get(0).reason());
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(request,
                WavePlanner.plan(WavePlannerTest.ids(PlanChecks.MAX_WAVES), List.of(), Rate.count(1))));
    }

    @Test
    void explicitWavesThatSplitIntoTooManyAreNamedAsTheFieldToChange() {
        RunRequest request = PARSER.parse(json("{'targets': [{'key': 'tag-key', 'values': ['Role']}],"
                + " 'commands': ['uptime'], 'maxConcurrency': '1', 'waves': ['100%']}"));
        WavePlan plan = WavePlanner.plan(WavePlannerTest.ids(50 * (PlanChecks.MAX_WAVES + 1)), request.waves(), Rate.count(1));

        assertEquals("waves", PlanChecks.checkAgainstPlan(request, plan).get(0).field(), "waves of 50 at a concurrency of 1");
    }

    @Test
    void anEmptyPlanIsLeftToTheNoTargetsOutcome() {
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(gateAfter(5), plan(0)));
    }
    @Test
    void aPercentageWaveSmallerOnThePlanThanTheCountBeforeItIsAnError() {
        RunRequest request = PARSER.parse(json("{'targets': [{'key': 'tag-key', 'values': ['Role']}], 'commands': ['uptime'],"
                + " 'waves': [10, '5%', '100%']}"));
        WavePlan plan = WavePlanner.plan(WavePlannerTest.ids(100), request.waves(), Rate.count(50));

        List<FieldError> errors = PlanChecks.checkAgainstPlan(request, plan);

        assertEquals(1, errors.size(), errors.toString());
        assertEquals("waves[1]", errors.get(0).field());
        assertTrue(errors.get(0).reason().startsWith("wave 2 (5%) is smaller than wave 1 (10): waves must not shrink."),
                errors.get(0).reason());
        assertTrue(errors.get(0).reason().endsWith("(of 100 nodes, 5% is 5 and 10 is 10)"), errors.get(0).reason());
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(request,
                WavePlanner.plan(WavePlannerTest.ids(400), request.waves(), Rate.count(50))), "5% of 400 is 20: it grows");
    }
}
