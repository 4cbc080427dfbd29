package org.edgegate.camera.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class LoginTest {
    @Test
    public void digestAnswersTheRfc2617Example() {
        Login l = new Login("Mufasa", "Circle Of Life");
        assertTrue(l.challenged(List.of("Basic realm=\"x\"", "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"")));
        String h = l.digest("/dir/index.html", "00000001", "0a4f113b");
        assertTrue(h, h.contains("response=\"6629fae49393a05397450978507c4ef1\""));
        assertTrue(h, h.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
        assertTrue(h, h.contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\""));
    }

    @Test
    public void digestSha256AnswersTheRfc7616Example() {
        Login l = new Login("Mufasa", "Circle of Life");
        assertTrue(l.challenged(List.of("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
                + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")));
        String h = l.digest("/dir/index.html", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        assertTrue(h, h.contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""));
    }

    @Test
    public void basicAndNothingElse() {
        Login l = new Login("admin", "s3cret");
        assertNull("nothing before a challenge", l.authorization("/"));
        assertFalse(l.challenged(List.of("Bearer realm=\"x\"", "Digest realm=\"x\", algorithm=SHA-512-256, nonce=\"n\"")));
        assertTrue(l.challenged(List.of("Basic realm=\"cam\"")));
        assertEquals("Basic YWRtaW46czNjcmV0", l.authorization("/"));
        assertEquals("login admin:***", l.toString());
    }
}
