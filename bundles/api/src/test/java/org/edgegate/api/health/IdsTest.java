package org.edgegate.api.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class IdsTest {
    @Test
    public void idsAreOneToSixtyFourSafeCharacters() {
        assertNull(Ids.problem("cam-0_front.left"));
        assertNull(Ids.problem("x".repeat(64)));
        assertEquals("is empty", Ids.problem(""));
        assertFalse(Ids.valid("x".repeat(65)));
        assertFalse(Ids.valid("a/b"));
        assertFalse(Ids.valid(".."));
        assertFalse(Ids.valid("a b"));
        assertFalse(Ids.valid("caméra"));
        assertFalse(Ids.valid("a\u0000"));
    }

    @Test
    public void aRefusedIdIsQuotedShortNeverRaw() {
        String huge = "c".repeat(5 * 1024 * 1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ids.check("id", huge));
        assertTrue(e.getMessage(), e.getMessage().length() < 200);
        assertEquals("id '" + "c".repeat(64) + "... (5242880 characters)' is 5242880 characters long, at most 64 are "
                + "allowed", e.getMessage());
        assertEquals("a?b", Ids.quote("a\nb"));
        assertEquals("", Ids.quote(null));
    }

    /** The components show an id from outside through quote alone: a valid one must come back as it is. */
    @Test
    public void aValidIdIsShownAsItIs() {
        for (String id : new String[] {"cam-0_front.left", "x".repeat(Ids.MAX_LENGTH), "a", "..."}) {
            assertTrue(id, Ids.valid(id));
            assertEquals(id, Ids.quote(id));
        }
        assertEquals("a b", Ids.quote("a b"));
        assertEquals("x".repeat(Ids.QUOTED) + "... (65 characters)", Ids.quote("x".repeat(65)));
    }
}
