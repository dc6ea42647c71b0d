"""What a person types and reads: the desk's Chinese words (terms), times in the office's
timezone (clock) and as a Chinese keyboard types them (typedtime), checked free text, phone
numbers and units (inputs), amounts of money as exact decimals (money), the columns of a sheet
(headers), the widths of Chinese text in a terminal (cjk), and the system's reason for a refused
file in the reader's language (oserrors).

Belongs here: pure functions over strings and times, with no files. May import: errors only.
"""
