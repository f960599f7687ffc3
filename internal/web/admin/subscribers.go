package admin

import "github.com/gin-gonic/gin"

func (a *Console) subscribersRoutes(g *gin.RouterGroup) {}
