package org.edgegate.clips.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class RuleStateTest {
    private static RuleSettings settings(String when, int cooldown) {
        return new RuleSettings("r", Condition.parse(when), List.of(), 2, 1, cooldown, 1 << 20, 1 << 30, 0);
    }

    @Test
    public void edgesAreCrossingsNotLevels() {
        RuleState r = new RuleState(settings("a >= 400", 60));
        r.initial("a", 500L); // already over the line when the rule starts: no crossing
        assertTrue(r.holds());
        assertEquals(RuleState.Edge.NONE, r.update("a", 600L));
        assertEquals(RuleState.Edge.FALL, r.update("a", 100L));
        assertEquals(RuleState.Edge.NONE, r.update("a", 200L));
        assertEquals(RuleState.Edge.RISE, r.update("a", 400L));
        assertEquals(RuleState.Edge.FALL, r.update("a", null)); // removed: the comparison is false
    }
}
