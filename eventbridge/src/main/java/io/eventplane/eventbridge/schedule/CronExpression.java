package io.eventplane.eventbridge.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * EventBridge's {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}, in UTC.
 *
 * <ul>
 *   <li>Minutes 0-59, Hours 0-23, Month 1-12 or JAN-DEC, Year 1970-2199: {@code , - * /};
 *   <li>Day-of-month 1-31: {@code , - * ? /}, and alone {@code L} (last day), {@code LW} (last
 *       weekday), {@code nW} (the weekday nearest day n, within the month);
 *   <li>Day-of-week 1-7 or SUN-SAT (1 is Sunday): {@code , - * ?}, and alone {@code L} (Saturday),
 *       {@code nL} (the last day n of the month), {@code n#k} (the k-th day n of the month);
 *   <li>exactly one of Day-of-month and Day-of-week is {@code ?};
 *   <li>ranges may wrap ({@code 20-2} in Hours, {@code FRI-MON}), except in Year; names are
 *       accepted in any case; fields are separated by single blanks.
 * </ul>
 *
 * <p>{@link #next} walks years, months, days, hours and minutes, skipping whole units that cannot
 * match, so a sparse expression (29 February, a year far ahead) costs at most a few thousand
 * steps.
 */
public final class CronExpression implements ScheduleExpression {
  static final int FIRST_YEAR = 1970;
  static final int LAST_YEAR = 2199;
  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String text;
  private final boolean[] minutes;
  private final boolean[] hours;
  private final boolean[] months;
  private final boolean[] years;
  private final DayRule days;

  private CronExpression(String text, boolean[] minutes, boolean[] hours, boolean[] months, boolean[] years, DayRule days) {
    this.text = text;
    this.minutes = minutes;
    this.hours = hours;
    this.months = months;
    this.years = years;
    this.days = days;
  }

  static CronExpression parseCron(String text) {
    if (!text.endsWith(")")) throw ScheduleExpression.invalid();
    String[] f = text.substring("cron(".length(), text.length() - 1).split(" ", -1);
    if (f.length != 6) throw ScheduleExpression.invalid();
    try {
      boolean[] minutes = Field.MINUTES.parse(f[0]);
      boolean[] hours = Field.HOURS.parse(f[1]);
      boolean[] months = Field.MONTHS.parse(f[3]);
      boolean[] years = Field.YEARS.parse(f[5]);
      boolean anyDom = f[2].equals("?");
      boolean anyDow = f[4].equals("?");
      if (anyDom == anyDow) throw new IllegalArgumentException("one of day-of-month and day-of-week must be ?");
      DayRule days = anyDow ? DayRule.ofMonth(f[2]) : DayRule.ofWeek(f[4]);
      return new CronExpression(text, minutes, hours, months, years, days);
    } catch (IllegalArgumentException e) {
      throw ScheduleExpression.invalid();
    }
  }

  @Override
  public String text() {
    return text;
  }

  /** The first matching minute strictly after {@code after}; {@code start} plays no part. */
  @Override
  public Optional<Instant> next(Instant start, Instant after) {
    return next(after);
  }

  /** The first matching minute strictly after {@code after}, or empty when none is left. */
  public Optional<Instant> next(Instant after) {
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    for (int year = Math.max(t.getYear(), FIRST_YEAR); year <= LAST_YEAR; year++) {
      if (!years[year - FIRST_YEAR]) continue;
      boolean sameYear = year == t.getYear();
      for (int month = sameYear ? t.getMonthValue() : 1; month <= 12; month++) {
        if (!months[month]) continue;
        boolean sameMonth = sameYear && month == t.getMonthValue();
        boolean[] matching = days.daysOf(year, month);
        for (int day = sameMonth ? t.getDayOfMonth() : 1; day < matching.length; day++) {
          if (!matching[day]) continue;
          boolean sameDay = sameMonth && day == t.getDayOfMonth();
          for (int hour = sameDay ? t.getHour() : 0; hour < 24; hour++) {
            if (!hours[hour]) continue;
            boolean sameHour = sameDay && hour == t.getHour();
            for (int minute = sameHour ? t.getMinute() : 0; minute < 60; minute++) {
              if (minutes[minute]) {
                return Optional.of(LocalDateTime.of(year, month, day, hour, minute).toInstant(ZoneOffset.UTC));
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  /** A numeric field: its range, its names, and whether its ranges may wrap. */
  private enum Field {
    MINUTES(0, 59, null, true, true),
    HOURS(0, 23, null, true, true),
    DAYS_OF_MONTH(1, 31, null, true, true),
    MONTHS(1, 12, CronExpression.MONTHS, true, true),
    DAYS_OF_WEEK(1, 7, CronExpression.DAYS, true, false),
    YEARS(FIRST_YEAR, LAST_YEAR, null, false, true);

    final int min;
    final int max;
    final String[] names;
    final boolean wraps;
    final boolean steps;

    Field(int min, int max, String[] names, boolean wraps, boolean steps) {
      this.min = min;
      this.max = max;
      this.names = names;
      this.wraps = wraps;
      this.steps = steps;
    }

    /** The values the field selects, indexed by value ({@code YEARS} offset by 1970). */
    boolean[] parse(String field) {
      int offset = this == YEARS ? FIRST_YEAR : 0;
      boolean[] out = new boolean[max - offset + 1];
      if (field.isEmpty()) throw new IllegalArgumentException("empty field");
      for (String element : field.split(",", -1)) {
        int from;
        int to;
        int step = 1;
        String range = element;
        int slash = element.indexOf('/');
        if (slash >= 0) {
          if (!steps) throw new IllegalArgumentException("no increments in " + this);
          step = number(element.substring(slash + 1));
          if (step < 1 || step > max - min + 1) throw new IllegalArgumentException("increment " + step);
          range = element.substring(0, slash);
        }
        if (range.equals("*")) {
          from = min;
          to = max;
        } else {
          int dash = range.indexOf('-');
          from = value(dash < 0 ? range : range.substring(0, dash));
          // "a/n" runs from a to the end of the range; "a" alone is just a.
          to = dash >= 0 ? value(range.substring(dash + 1)) : slash >= 0 ? max : from;
          if (to < from && !wraps) throw new IllegalArgumentException("backwards range " + range);
        }
        int span = to >= from ? to - from : to - from + (max - min + 1);
        for (int k = 0; k <= span; k += step) {
          int v = from + k > max ? from + k - (max - min + 1) : from + k;
          out[v - offset] = true;
        }
      }
      return out;
    }

    int value(String s) {
      if (names != null) {
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(s)) return min + i;
      }
      int v = number(s);
      if (v < min || v > max) throw new IllegalArgumentException(s + " out of range in " + this);
      return v;
    }

    static int number(String s) {
      if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not a number: " + s);
      }
      return Integer.parseInt(s);
    }
  }

  /** Which days of a month match: from the day-of-month field or from the day-of-week field. */
  private record DayRule(Kind kind, boolean[] set, int n, int k) {
    enum Kind { DAYS_OF_MONTH, LAST_DAY, LAST_WEEKDAY, NEAREST_WEEKDAY, DAYS_OF_WEEK, LAST_OF_WEEKDAY, NTH_WEEKDAY }

    static DayRule ofMonth(String f) {
      if (f.equals("L")) return new DayRule(Kind.LAST_DAY, null, 0, 0);
      if (f.equals("LW")) return new DayRule(Kind.LAST_WEEKDAY, null, 0, 0);
      if (f.endsWith("W")) {
        return new DayRule(Kind.NEAREST_WEEKDAY, null, Field.DAYS_OF_MONTH.value(f.substring(0, f.length() - 1)), 0);
      }
      return new DayRule(Kind.DAYS_OF_MONTH, Field.DAYS_OF_MONTH.parse(f), 0, 0);
    }

    static DayRule ofWeek(String f) {
      if (f.equals("L")) return new DayRule(Kind.DAYS_OF_WEEK, Field.DAYS_OF_WEEK.parse("7"), 0, 0);
      if (f.length() > 1 && f.endsWith("L")) {
        return new DayRule(Kind.LAST_OF_WEEKDAY, null, Field.DAYS_OF_WEEK.value(f.substring(0, f.length() - 1)), 0);
      }
      int hash = f.indexOf('#');
      if (hash >= 0) {
        int k = Field.number(f.substring(hash + 1));
        if (k < 1 || k > 5) throw new IllegalArgumentException("#" + k);
        return new DayRule(Kind.NTH_WEEKDAY, null, Field.DAYS_OF_WEEK.value(f.substring(0, hash)), k);
      }
      return new DayRule(Kind.DAYS_OF_WEEK, Field.DAYS_OF_WEEK.parse(f), 0, 0);
    }

    /** Indexed 1..length of the month (index 0 unused). */
    boolean[] daysOf(int year, int month) {
      LocalDate first = LocalDate.of(year, month, 1);
      int length = first.lengthOfMonth();
      boolean[] out = new boolean[length + 1];
      switch (kind) {
        case DAYS_OF_MONTH -> System.arraycopy(set, 1, out, 1, length);
        case LAST_DAY -> out[length] = true;
        case LAST_WEEKDAY -> out[nearestWeekday(first, length, length)] = true;
        case NEAREST_WEEKDAY -> {
          if (n <= length) out[nearestWeekday(first, length, n)] = true;
        }
        case DAYS_OF_WEEK -> {
          for (int d = 1; d <= length; d++) out[d] = set[awsDay(first.plusDays(d - 1L))];
        }
        case LAST_OF_WEEKDAY -> {
          int d = length;
          while (awsDay(first.withDayOfMonth(d)) != n) d--;
          out[d] = true;
        }
        case NTH_WEEKDAY -> {
          int d = 1;
          while (awsDay(first.withDayOfMonth(d)) != n) d++;
          d += 7 * (k - 1);
          if (d <= length) out[d] = true;
        }
      }
      return out;
    }

    /** 1 for Sunday through 7 for Saturday. */
    static int awsDay(LocalDate date) {
      return date.getDayOfWeek().getValue() % 7 + 1;
    }

    /** The weekday nearest {@code day}, without leaving the month. */
    static int nearestWeekday(LocalDate first, int length, int day) {
      DayOfWeek dow = first.withDayOfMonth(day).getDayOfWeek();
      if (dow == DayOfWeek.SATURDAY) return day > 1 ? day - 1 : day + 2;
      if (dow == DayOfWeek.SUNDAY) return day < length ? day + 1 : day - 2;
      return day;
    }
  }
}
