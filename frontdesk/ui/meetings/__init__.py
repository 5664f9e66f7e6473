"""The meetings tab (晨会记录): the list, today's meeting one key away, the meeting form."""
