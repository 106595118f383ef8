"""Delivery to the front cache: what each public answer shows, and purging exactly that.

Public answers name what they show in a `Surrogate-Key` header (`keys`,
`decorators`); a change readers can see purges those keys once its transaction
commits (`purge`), through one small backend per cache (`backends`). The
receivers (`receivers`) listen to the editorial domain's events, not to raw
model saves: a draft saved, a topic proposed or a wire item filed purges nothing.
"""
