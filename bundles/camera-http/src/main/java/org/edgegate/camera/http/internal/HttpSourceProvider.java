package org.edgegate.camera.http.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.edgegate.api.camera.FrameSourceProvider;
import org.edgegate.api.camera.JpegSource;
import org.edgegate.api.camera.SourceRequest;
import org.osgi.service.component.annotations.Component;

/**
 * Network cameras for {@code source = http://...} and {@code https://...}. The login is the camera's
 * {@code user} and {@code password}, else one written in the URL ({@code http://user:password@host/...}).
 */
@Component(property = {FrameSourceProvider.SCHEME + "=http", FrameSourceProvider.SCHEME + "=https"})
public class HttpSourceProvider implements FrameSourceProvider {
    @Override
    public JpegSource create(SourceRequest r) {
        String shown = SourceRequest.masked(r.source());
        URI uri;
        try {
            uri = new URI(r.source());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + shown + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL with a host: " + shown);
        }
        String user = r.user();
        String password = r.password();
        String info = uri.getRawUserInfo();
        if (user.isEmpty() && info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        try {
            // the login goes in the Authorization header, never in the request
            URI bare = new URI(scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            return new HttpJpegSource(bare, shown, new Login(user, password), r.fps());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + shown + " (" + e.getReason() + ")");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
