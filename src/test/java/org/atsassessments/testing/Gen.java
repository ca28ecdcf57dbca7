package org.atsassessments.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A generator of test inputs for {@link Property}: a function of a seeded {@link Random}, so a failing try
 * is reproduced by its seed. Small on purpose: just what the hostile-input tests combine.
 */
@FunctionalInterface
public interface Gen<T> {

  T next(Random random);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return random -> f.apply(next(random));
  }

  default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
    return random -> f.apply(next(random)).next(random);
  }

  static <T> Gen<T> constant(T value) {
    return random -> value;
  }

  static <T> Gen<T> lazy(Supplier<Gen<T>> gen) {
    return random -> gen.get().next(random);
  }

  @SafeVarargs
  static <T> Gen<T> elements(T... values) {
    return random -> values[random.nextInt(values.length)];
  }

  static <T> Gen<T> elements(List<T> values) {
    return random -> values.get(random.nextInt(values.size()));
  }

  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return random -> gens[random.nextInt(gens.length)].next(random);
  }

  static Gen<Integer> ints(int min, int max) {
    return random -> min + random.nextInt(max - min + 1);
  }

  static <T> Gen<List<T>> lists(Gen<T> item, int min, int max) {
    return random -> {
      int size = min + random.nextInt(max - min + 1);
      List<T> items = new ArrayList<>(size);
      for (int i = 0; i < size; i++) items.add(item.next(random));
      return items;
    };
  }

  /** Strings of {@code min..max} characters drawn from {@code chars}. */
  static Gen<String> strings(Gen<String> chars, int min, int max) {
    return lists(chars, min, max).map(parts -> String.join("", parts));
  }

  /** One character of an alphabet: printable ASCII, controls, Latin-1, BMP, surrogates (lone too) and emoji. */
  static Gen<String> anyChar() {
    return oneOf(
      random -> String.valueOf((char) (0x20 + random.nextInt(0x5f))),
      random -> String.valueOf((char) (0x20 + random.nextInt(0x5f))),
      random -> String.valueOf((char) random.nextInt(0x20)),
      random -> String.valueOf((char) (0x7f + random.nextInt(0x81))),
      random -> String.valueOf((char) (0x100 + random.nextInt(0xd700))),
      random -> String.valueOf((char) (0xd800 + random.nextInt(0x800))),
      random -> new String(Character.toChars(0x1f600 + random.nextInt(0x50))),
      elements("\u0000", "\u2028", "\ufeff", "\uffff", "%", "/", "\\", "\"", "'", "[", "]", ",", ".", ";", "?", "#",
        "&", "=", "+", " ", "\t", "\r", "\n", "{", "}", "$", "*"));
  }

  static Gen<String> asciiLetters(int min, int max) {
    return strings(random -> String.valueOf((char) ('a' + random.nextInt(26))), min, max);
  }

  /** Raw bytes, from all 256 values: invalid UTF-8 included. */
  static Gen<byte[]> bytes(int min, int max) {
    return random -> {
      byte[] bytes = new byte[min + random.nextInt(max - min + 1)];
      random.nextBytes(bytes);
      return bytes;
    };
  }

  /** Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates, truncations. */
  static Gen<byte[]> invalidUtf8() {
    return elements(
      new byte[] {(byte) 0xff}, new byte[] {(byte) 0xfe, (byte) 0xff}, new byte[] {(byte) 0x80},
      new byte[] {(byte) 0xc3, (byte) 0x28}, new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
      new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98});
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
    byte[] joined = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, joined, at, part.length);
      at += part.length;
    }
    return joined;
  }
}
