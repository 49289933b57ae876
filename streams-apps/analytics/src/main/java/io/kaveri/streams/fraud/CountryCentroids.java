package io.kaveri.streams.fraud;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a country is, roughly: the built-in table {@code country-centroids.csv} beside this class (about 85
 * countries, centres rounded to 0.1°; its header says how coarse they are). Payments that carry coordinates use
 * those instead.
 */
final class CountryCentroids {

    /** A point on Earth in degrees. */
    record Position(double latitude, double longitude) {

        private static final double EARTH_RADIUS_KM = 6371.0088; // mean radius (IUGG)

        /** Great-circle distance by the haversine formula, accurate to ~0.5% (Earth is not a sphere). */
        double kmTo(Position other) {
            double dLat = Math.toRadians(other.latitude - latitude);
            double dLon = Math.toRadians(other.longitude - longitude);
            double a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(Math.toRadians(latitude))
                    * Math.cos(Math.toRadians(other.latitude)) * Math.pow(Math.sin(dLon / 2), 2);
            return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
        }
    }

    private final Map<String, Position> byCode;

    private CountryCentroids(Map<String, Position> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    static CountryCentroids builtIn() {
        try (InputStream in = CountryCentroids.class.getResourceAsStream("country-centroids.csv")) {
            if (in == null) {
                throw new IllegalStateException("country-centroids.csv is missing from the classpath beside "
                        + CountryCentroids.class.getName());
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read country-centroids.csv", e);
        }
    }

    static CountryCentroids parse(BufferedReader lines) throws IOException {
        Map<String, Position> table = new HashMap<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", 4);
            try {
                table.put(f[0].trim().toUpperCase(Locale.ROOT), new Position(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("country-centroids.csv line " + number + " is not 'code,lat,lon,name': " + line, e);
            }
        }
        return new CountryCentroids(table);
    }

    Optional<Position> of(String countryCode) {
        return countryCode == null ? Optional.empty() : Optional.ofNullable(byCode.get(countryCode.trim().toUpperCase(Locale.ROOT)));
    }

    int size() {
        return byCode.size();
    }
}
