package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The budget modes: the request's {@code budgetMode}, what each mode allows, and a strict wave's rounds. */
class StrictBudgetTest {
    private static final RunRequestParser PARSER = new RunRequestParser(RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS);
    private static final String BASE = "'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime']";

    @Test
    void leakyIsTheDefaultAndStrictIsAsked() {
        assertEquals(BudgetMode.LEAKY, PARSER.parse(json("{" + BASE + "}")).budgetMode());
        assertEquals(BudgetMode.LEAKY, PARSER.parse(json("{" + BASE + ", 'budgetMode': 'leaky'}")).budgetMode());
        assertEquals(BudgetMode.STRICT, PARSER.parse(json("{" + BASE + ", 'budgetMode': 'strict'}")).budgetMode());
    }

    @Test
    void theModeIsWrittenOutAndReadBack() {
        RunRequest strict = PARSER.parse(json("{" + BASE + ", 'budgetMode': 'strict', 'maxErrors': '10%'}"));
        assertEquals("strict", strict.toJson().path("budgetMode").asText());
        assertEquals(strict, PARSER.parse(strict.toJson()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'Strict' | got \"Strict\"",
            "'hard'   | got \"hard\"",
            "true     | must be a string",
            "1        | must be a string"})
    void anythingElseIsRefusedNamingTheFieldAndTheChoices(String value, String says) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PARSER.parse(json("{" + BASE + ", 'budgetMode': " + value + "}")));
        assertEquals(1, e.errors().size(), e::getMessage);
        assertEquals("budgetMode", e.errors().get(0).field());
        assertTrue(e.errors().get(0).reason().contains(says), e.getMessage());
        if (says.startsWith("got")) {
            assertTrue(e.errors().get(0).reason().contains("\"leaky\"") && e.errors().get(0).reason().contains("\"strict\""),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({
            // maxErrors, targeted, allowance, strict at most, leaky at most with a concurrency of 5
            "10%, 3, 0, 1, 3",     // 0.3 rounds down to 0: the first error breaches
            "50%, 1, 0, 1, 1",     // 0.5 rounds down to 0; one node can fail, no more
            "50%, 3, 1, 2, 3",
            "10%, 20, 2, 3, 7",    // the case: a leaky budget of 2 can let 7 fail at a concurrency of 5
            "0, 20, 0, 1, 5",
            "100%, 4, 4, 4, 4"})
    void eachModeSaysHowManyNodesCanFailAtWorst(String maxErrors, int targeted, int allowance, int strict, int leaky) {
        ErrorBudget budget = ErrorBudget.of(Rate.parseErrors(maxErrors), targeted);
        assertEquals(allowance, budget.allowance());
        assertEquals(strict, budget.mostFailures(BudgetMode.STRICT, 5));
        assertEquals(leaky, budget.mostFailures(BudgetMode.LEAKY, 5));
    }

    @Test
    void theCapInFlightIsTheErrorsLeftPlusOne() {
        ErrorBudget budget = new ErrorBudget(2, 20);
        assertEquals(List.of(3, 2, 1, 1, 1), List.of(budget.inFlightCap(0), budget.inFlightCap(1), budget.inFlightCap(2),
                budget.inFlightCap(3), budget.inFlightCap(9)));
    }

    @Test
    void aRoundTakesTheErrorsLeftPlusOneNodesAtTheWavesConcurrency() {
        Wave wave = new Wave(2, ids(10), 4);
        List<Batch> full = WavePlanner.round(wave, wave.instanceIds(), 5, 1);
        assertEquals(List.of(new Batch(1, ids(6), 4)), full, "6 nodes, 4 at a time");

        List<Batch> none = WavePlanner.round(wave, wave.instanceIds().subList(6, 10), 0, 2);
        assertEquals(List.of(new Batch(2, ids(10).subList(6, 7), 1)), none, "no error left: one node");

        assertEquals(List.of(), WavePlanner.round(wave, List.of(), 3, 3), "nothing left to send");
    }

    @Test
    void aLargeRoundIsSplitIntoCommandsOfFiftyThatShareTheConcurrency() {
        Wave wave = new Wave(1, ids(300), 3);
        List<Batch> round = WavePlanner.round(wave, wave.instanceIds(), 1000, 4);
        assertEquals(150, round.stream().mapToInt(b -> b.instanceIds().size()).sum(), "at most 50 × the concurrency");
        assertEquals(List.of(4, 5, 6), round.stream().map(Batch::number).toList());
        assertEquals(3, round.stream().mapToInt(Batch::concurrency).sum());
    }

    @Test
    void everyNodeOfARoundFailingTakesTheRunOneErrorPastItsAllowanceAtMost() {
        // Worst case, round after round: every node fails until the budget breaks.
        for (int allowance = 0; allowance <= 12; allowance++) {
            for (int concurrency = 1; concurrency <= 8; concurrency++) {
                ErrorBudget budget = new ErrorBudget(allowance, 40);
                Wave wave = new Wave(1, ids(40), concurrency);
                List<String> unsent = new ArrayList<>(wave.instanceIds());
                int errors = 0;
                int batch = 1;
                while (!unsent.isEmpty() && !budget.isBreached(errors)) {
                    List<Batch> round = WavePlanner.round(wave, unsent, budget.remaining(errors), batch);
                    for (Batch b : round) {
                        assertTrue(b.concurrency() <= budget.inFlightCap(errors), "in flight within the cap");
                        errors += b.instanceIds().size();
                        unsent.removeAll(b.instanceIds());
                        batch++;
                    }
                }
                assertEquals(allowance + 1, errors, "allowance " + allowance + ", concurrency " + concurrency);
            }
        }
    }

    @Test
    void aStrictBudgetOverMoreNodesThanItsRoundsCanHoldIsRefusedSayingWhatToDo() {
        RunRequest strict = PARSER.parse(json("{" + BASE + ", 'budgetMode': 'strict'}"));
        RunRequest leaky = PARSER.parse(json("{" + BASE + "}"));
        WavePlan atLimit = WavePlanner.plan(ids(PlanChecks.MAX_STRICT_NODES), List.of(), Rate.count(50));
        WavePlan over = WavePlanner.plan(ids(PlanChecks.MAX_STRICT_NODES + 1), List.of(), Rate.count(50));

        assertEquals(List.of(), PlanChecks.checkAgainstPlan(strict, atLimit));
        assertEquals(List.of(), PlanChecks.checkAgainstPlan(leaky, over));
        List<FieldError> errors = PlanChecks.checkAgainstPlan(strict, over);
        assertEquals(List.of("budgetMode"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).reason().contains("targets 1001 nodes: split the fleet into runs of at most 1000"),
                errors.get(0).reason());
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("i-%017d", i));
        }
        return ids;
    }
}
